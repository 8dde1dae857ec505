import { BrowserWindow, type WebPreferences } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { APP_URL } from './appProtocolResponse';

const here = fileURLToPath(new URL('.', import.meta.url));

/** The built renderer's folder, served on app://. */
export const RENDERER_DIR = join(here, '../renderer');
/** The window and taskbar icon: resources/ sits beside out/ in the source tree and in the packaged app. */
export const WINDOW_ICON = join(here, '../../resources/icon.png');

/** The URL the renderer is loaded from: electron-vite's dev server, or the built renderer on app://workbench/. */
export function rendererUrl(): string {
  return process.env['ELECTRON_RENDERER_URL'] || APP_URL;
}

/**
 * Every window's preferences: an isolated, sandboxed page with no Node, no <webview>, web security on, and the
 * preload (which exposes only window.workbench) as its one bridge to main.
 */
export function hardenedWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

/** The one window factory: every window gets the hardened preferences. */
export function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'Attention Workbench',
    icon: WINDOW_ICON,
    show: false,
    webPreferences: hardenedWebPreferences(join(here, '../preload/index.cjs')),
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(rendererUrl());
  return window;
}
