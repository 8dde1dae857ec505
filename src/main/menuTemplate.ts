import type { MenuItemConstructorOptions } from 'electron';
import type { Translate } from '../shared/i18n/translator';
import type { MenuCommand } from '../shared/ipc';

/** What the menu items do; the Electron side supplies them, a test supplies stand-ins. */
export interface MenuActions {
  openSpec(): void;
  send(command: MenuCommand): void;
}

/**
 * The File, Edit and View menus in a language. Undo and redo show their keys without taking them
 * (registerAccelerator: false): the window's own key handler gives Ctrl+Z to a text field being typed in, and to the
 * graph otherwise. Copy and paste keep their roles, whose copy and paste events the editor also listens to. Role items
 * carry a label too: Electron names roles in English on Linux and Windows.
 */
export function menuTemplate(t: Translate, actions: MenuActions): MenuItemConstructorOptions[] {
  return [
    {
      label: t('menu.file'),
      submenu: [
        { label: t('menu.open'), accelerator: 'CmdOrCtrl+O', click: () => actions.openSpec() },
        { label: t('menu.save'), accelerator: 'CmdOrCtrl+S', click: () => actions.send({ command: 'save-spec' }) },
        { type: 'separator' },
        { label: t('menu.exportPng'), click: () => actions.send({ command: 'export-png' }) },
        { label: t('menu.exportSvg'), click: () => actions.send({ command: 'export-svg' }) },
        { type: 'separator' },
        { role: 'quit', label: t('menu.quit') },
      ],
    },
    {
      label: t('menu.edit'),
      submenu: [
        {
          label: t('menu.undo'),
          accelerator: 'CmdOrCtrl+Z',
          registerAccelerator: false,
          click: () => actions.send({ command: 'undo' }),
        },
        {
          label: t('menu.redo'),
          accelerator: 'CmdOrCtrl+Shift+Z',
          registerAccelerator: false,
          click: () => actions.send({ command: 'redo' }),
        },
        { type: 'separator' },
        { role: 'cut', label: t('menu.cut') },
        { role: 'copy', label: t('menu.copy') },
        { role: 'paste', label: t('menu.paste') },
        { role: 'selectAll', label: t('menu.selectAll') },
      ],
    },
    {
      label: t('menu.view'),
      submenu: [
        { role: 'resetZoom', label: t('menu.resetZoom') },
        { role: 'zoomIn', label: t('menu.zoomIn') },
        { role: 'zoomOut', label: t('menu.zoomOut') },
        { type: 'separator' },
        { role: 'togglefullscreen', label: t('menu.fullScreen') },
      ],
    },
  ];
}
