import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { ELECTRON_EVENT_CHANNEL, ELECTRON_INVOKE_CHANNEL, type InvokeResult } from '../../shared/channels';
import type { Workbench } from '../createWorkbench';
import { dispatchInvoke } from './dispatchInvoke';

/** Only the app's own page may call main; a frame from anywhere else (an injected iframe, a stray URL) is refused. */
export function isTrustedSender(frameUrl: string | undefined, appUrl: string): boolean {
  if (!frameUrl) return false;
  const strip = (url: string) => url.split(/[?#]/)[0];
  const app = new URL(appUrl);
  const frame = new URL(frameUrl);
  return app.protocol === 'file:' ? strip(frameUrl) === strip(appUrl) : frame.origin === app.origin;
}

/** Binds the contract to Electron's IPC: one invoke channel and one event channel carry every message. */
export function setupElectronIpc(workbench: Workbench, appUrl: string): void {
  ipcMain.handle(
    ELECTRON_INVOKE_CHANNEL,
    async (event: IpcMainInvokeEvent, channel: unknown, request: unknown): Promise<InvokeResult<unknown>> => {
      if (!isTrustedSender(event.senderFrame?.url, appUrl)) {
        return { ok: false, error: 'refused: the request did not come from the workbench window' };
      }
      return dispatchInvoke(workbench.handlers, channel, request);
    },
  );
  workbench.subscribe((channel, payload) => {
    for (const window of BrowserWindow.getAllWindows()) window.webContents.send(ELECTRON_EVENT_CHANNEL, channel, payload);
  });
}
