import type { EventChannel, InvokeChannel, InvokeResult, WorkbenchBridge } from '../../../shared/channels';
import { decodeWire, encodeWire } from '../../../shared/wireFormat';
import { t } from '../i18n';

type Pending = (result: InvokeResult<unknown>) => void;

/**
 * The browser host's transport: the same envelopes as Electron's IPC over one WebSocket to the page's own origin,
 * authorised by the token of the page's URL. Reconnects after a drop, failing the requests that were in flight.
 */
export function createWebSocketBridge(location: Location): WorkbenchBridge {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws?token=${encodeURIComponent(token)}`;
  const pending = new Map<number, Pending>();
  const listeners = new Map<EventChannel, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let socket: Promise<WebSocket> | null = null;

  const open = (): Promise<WebSocket> => {
    socket ??= new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.onopen = () => resolve(ws);
      ws.onerror = () => reject(new Error(t('errors.hostUnreachable')));
      ws.onclose = () => {
        socket = null;
        for (const [id, settle] of pending) {
          pending.delete(id);
          settle({ ok: false, error: t('errors.hostClosed') });
        }
        setTimeout(() => void open().catch(() => undefined), 1000);
      };
      ws.onmessage = (message) => {
        const data = decodeWire(String(message.data)) as {
          id?: number;
          result?: InvokeResult<unknown>;
          event?: EventChannel;
          payload?: unknown;
        };
        if (data.event) listeners.get(data.event)?.forEach((listener) => listener(data.payload));
        else if (typeof data.id === 'number' && data.result) {
          pending.get(data.id)?.(data.result);
          pending.delete(data.id);
        }
      };
    });
    return socket;
  };

  return {
    async invoke(channel: InvokeChannel, request: unknown) {
      const ws = await open();
      const id = nextId++;
      return new Promise<InvokeResult<unknown>>((resolve) => {
        pending.set(id, resolve);
        ws.send(encodeWire({ id, channel, request }));
      });
    },
    on(channel, listener) {
      const set = listeners.get(channel) ?? new Set();
      set.add(listener);
      listeners.set(channel, set);
      void open().catch(() => undefined);
      return () => set.delete(listener);
    },
  };
}
