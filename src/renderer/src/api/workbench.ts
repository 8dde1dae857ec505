import type { WorkbenchBridge } from '../../../shared/channels';
import type { EventPayloads, WorkbenchApi } from '../../../shared/ipc';
import { createWebSocketBridge } from './webSocketBridge';

/** Turns a transport's envelopes into typed calls that resolve with the value or throw the main process's message. */
export function typedWorkbench(bridge: WorkbenchBridge): WorkbenchApi {
  return {
    async invoke(channel, request) {
      const result = await bridge.invoke(channel, request);
      if (!result.ok) throw new Error(result.error);
      return result.value as never;
    },
    on(channel, listener) {
      return bridge.on(channel, (payload) => listener(payload as EventPayloads[typeof channel]));
    },
  };
}

let connected: WorkbenchApi | null = null;
// Connected on first use rather than on import, so that stores can be imported (and tested) before a page exists.
const api = () => (connected ??= typedWorkbench(window.workbench ?? createWebSocketBridge(window.location)));

/** Electron's preload bridge when there is one, else the browser host's WebSocket: the app cannot tell which. */
export const workbench: WorkbenchApi = {
  invoke(channel, request) {
    return api().invoke(channel, request);
  },
  on(channel, listener) {
    return api().on(channel, listener);
  },
};

/** The path of a file dropped on the window, where the transport can tell it (the desktop app); else null. */
export function droppedPath(file: File): string | null {
  return window.workbench?.pathForFile?.(file) || null;
}
