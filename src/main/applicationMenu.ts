import { app, BrowserWindow, dialog, Menu } from 'electron';
import { readUserFile } from '../engine/data/import/userFile';
import { basename } from 'node:path';
import { ELECTRON_EVENT_CHANNEL } from '../shared/channels';
import { pickLanguage, type Language } from '../shared/i18n/languages';
import { createTranslator, type Translate } from '../shared/i18n/translator';
import type { MenuCommand } from '../shared/ipc';
import { menuTemplate } from './menuTemplate';

/** A spec file larger than this is not an architecture anyone drew. */
const MAX_SPEC_BYTES = 8 * 1024 * 1024;

function send(command: MenuCommand): void {
  BrowserWindow.getFocusedWindow()?.webContents.send(ELECTRON_EVENT_CHANNEL, 'menu:command', command);
}

/** File > Open architecture: main reads the file (the sandboxed window cannot), the window checks and opens it. */
async function openSpecFile(t: Translate): Promise<void> {
  const window = BrowserWindow.getFocusedWindow();
  const options: Electron.OpenDialogOptions = {
    title: t('menu.openTitle'),
    properties: ['openFile'],
    filters: [{ name: t('menu.specFiles'), extensions: ['json'] }],
  };
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  const path = result.canceled ? undefined : result.filePaths[0];
  if (!path) return;
  let bytes: Uint8Array;
  try {
    bytes = await readUserFile(path, { maxBytes: MAX_SPEC_BYTES, limitName: t('menu.specLimit') });
  } catch (error) {
    dialog.showErrorBox(t('menu.notOpened'), error instanceof Error ? error.message : String(error));
    return;
  }
  send({ command: 'open-spec', fileName: basename(path), text: new TextDecoder().decode(bytes) });
}

/**
 * The application menu in a language: the system's at start, the one chosen in Settings once the window says
 * (the app:language channel builds it again).
 */
export function setupApplicationMenu(language: Language = pickLanguage(app.getPreferredSystemLanguages())): void {
  const t = createTranslator(language);
  const template = menuTemplate(t, {
    send,
    openSpec: () =>
      void openSpecFile(t).catch((error: unknown) => dialog.showErrorBox(t('menu.notOpened'), String(error))),
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
