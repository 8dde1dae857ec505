import { contextBridge, ipcRenderer, webUtils } from 'electron';
import {
  ELECTRON_EVENT_CHANNEL,
  ELECTRON_INVOKE_CHANNEL,
  isEventChannel,
  isInvokeChannel,
  type WorkbenchBridge,
} from '../shared/channels';

/** window.workbench: invoke a channel of the contract, listen to one of its events, or name a dropped file. Nothing else. */
const bridge: WorkbenchBridge = {
  invoke: (channel, request) =>
    isInvokeChannel(channel)
      ? ipcRenderer.invoke(ELECTRON_INVOKE_CHANNEL, channel, request)
      : Promise.resolve({ ok: false, error: `unknown channel ${String(channel)}` }),
  on: (channel, listener) => {
    if (!isEventChannel(channel)) return () => undefined;
    const relay = (_event: unknown, eventChannel: unknown, payload: unknown) => {
      if (eventChannel === channel) listener(payload);
    };
    ipcRenderer.on(ELECTRON_EVENT_CHANNEL, relay);
    return () => ipcRenderer.removeListener(ELECTRON_EVENT_CHANNEL, relay);
  },
  // A dropped file's path, which the sandboxed page cannot read itself; main still validates every import request.
  pathForFile: (file) => webUtils.getPathForFile(file),
};

contextBridge.exposeInMainWorld('workbench', bridge);
