import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { ELECTRON_EVENT_CHANNEL, ELECTRON_INVOKE_CHANNEL, type InvokeResult } from '../../shared/channels';
import type { Workbench } from '../createWorkbench';
import { dispatchInvoke } from './dispatchInvoke';
import { isTrustedSender } from './trustedSender';

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
    for (const window of BrowserWindow.getAllWindows())
      window.webContents.send(ELECTRON_EVENT_CHANNEL, channel, payload);
  });
}
