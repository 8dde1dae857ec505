import { contextBridge, ipcRenderer } from 'electron';
import {
  ELECTRON_EVENT_CHANNEL,
  ELECTRON_INVOKE_CHANNEL,
  isEventChannel,
  isInvokeChannel,
  type WorkbenchBridge,
} from '../shared/channels';

/** window.workbench: invoke a channel of the contract, or listen to one of its events. Nothing else is exposed. */
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
};

contextBridge.exposeInMainWorld('workbench', bridge);
