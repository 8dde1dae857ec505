import { BrowserWindow } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

/** The URL the renderer is loaded from: electron-vite's dev server, or the built index.html. */
export function rendererUrl(): string {
  return process.env['ELECTRON_RENDERER_URL'] ?? new URL('../renderer/index.html', import.meta.url).href;
}

/** The one window factory: every window gets the hardened preferences. */
export function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'Attention Workbench',
    show: false,
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      webSecurity: true,
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(rendererUrl());
  return window;
}
