import { BrowserWindow, dialog, Menu, type MenuItemConstructorOptions } from 'electron';
import { readUserFile } from '../engine/data/import/userFile';
import { basename } from 'node:path';
import { ELECTRON_EVENT_CHANNEL } from '../shared/channels';
import type { MenuCommand } from '../shared/ipc';

/** A spec file larger than this is not an architecture anyone drew. */
const MAX_SPEC_BYTES = 8 * 1024 * 1024;

function send(command: MenuCommand): void {
  BrowserWindow.getFocusedWindow()?.webContents.send(ELECTRON_EVENT_CHANNEL, 'menu:command', command);
}

/** File > Open architecture: main reads the file (the sandboxed window cannot), the window checks and opens it. */
async function openSpecFile(): Promise<void> {
  const window = BrowserWindow.getFocusedWindow();
  const options: Electron.OpenDialogOptions = {
    title: 'Open an architecture',
    properties: ['openFile'],
    filters: [{ name: 'ModelSpec JSON', extensions: ['json'] }],
  };
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  const path = result.canceled ? undefined : result.filePaths[0];
  if (!path) return;
  let bytes: Uint8Array;
  try {
    bytes = await readUserFile(path, { maxBytes: MAX_SPEC_BYTES, limitName: 'the most an architecture file may hold' });
  } catch (error) {
    dialog.showErrorBox('Not opened', error instanceof Error ? error.message : String(error));
    return;
  }
  send({ command: 'open-spec', fileName: basename(path), text: new TextDecoder().decode(bytes) });
}

/**
 * The File and Edit menus. Undo and redo show their keys without taking them (registerAccelerator: false): the
 * window's own key handler gives Ctrl+Z to a text field being typed in, and to the graph otherwise. Copy and paste
 * keep their roles, whose copy and paste events the editor also listens to.
 */
export function setupApplicationMenu(): void {
  const template: MenuItemConstructorOptions[] = [
    {
      label: 'File',
      submenu: [
        {
          label: 'Open architecture…',
          accelerator: 'CmdOrCtrl+O',
          click: () => void openSpecFile().catch((error: unknown) => dialog.showErrorBox('Not opened', String(error))),
        },
        { label: 'Save architecture…', accelerator: 'CmdOrCtrl+S', click: () => send({ command: 'save-spec' }) },
        { type: 'separator' },
        { label: 'Export graph as PNG…', click: () => send({ command: 'export-png' }) },
        { label: 'Export graph as SVG…', click: () => send({ command: 'export-svg' }) },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    {
      label: 'Edit',
      submenu: [
        {
          label: 'Undo',
          accelerator: 'CmdOrCtrl+Z',
          registerAccelerator: false,
          click: () => send({ command: 'undo' }),
        },
        {
          label: 'Redo',
          accelerator: 'CmdOrCtrl+Shift+Z',
          registerAccelerator: false,
          click: () => send({ command: 'redo' }),
        },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      label: 'View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
