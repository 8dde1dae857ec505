import type { WebSocket } from 'ws';

/**
 * How much a browser-host client may leave unread. A client that sends requests but never reads the answers (or a
 * window too slow for the events) makes the host buffer every answer in memory; past `pauseAboveBytes` the host
 * stops reading that client's requests, so it can only queue more in its own socket, and resumes below
 * `resumeBelowBytes`. A client still paused after `maxPausedMs`, or whose unread answers and events pass
 * `disconnectAboveBytes`, is disconnected: the host's memory stays flat whatever a client does.
 */
export interface BackPressureLimits {
  pauseAboveBytes: number;
  resumeBelowBytes: number;
  disconnectAboveBytes: number;
  maxPausedMs: number;
}

export const DEFAULT_BACK_PRESSURE: BackPressureLimits = {
  pauseAboveBytes: 4 * 1024 * 1024,
  resumeBelowBytes: 1024 * 1024,
  disconnectAboveBytes: 32 * 1024 * 1024,
  maxPausedMs: 60_000,
};

/** A send function for one client that applies the limits; its bound is checked after every send and write. */
export function sendWithBackPressure(ws: WebSocket, limits: BackPressureLimits): (text: string) => void {
  let stall: ReturnType<typeof setTimeout> | null = null;
  const check = () => {
    if (ws.readyState !== ws.OPEN) return;
    const buffered = ws.bufferedAmount;
    if (buffered > limits.disconnectAboveBytes) {
      ws.terminate();
    } else if (stall === null && buffered > limits.pauseAboveBytes) {
      ws.pause();
      stall = setTimeout(() => ws.terminate(), limits.maxPausedMs);
    } else if (stall !== null && buffered < limits.resumeBelowBytes) {
      clearTimeout(stall);
      stall = null;
      ws.resume();
    }
  };
  ws.on('close', () => {
    if (stall !== null) clearTimeout(stall);
  });
  return (text) => {
    if (ws.readyState !== ws.OPEN) return;
    // The callback runs once the frame is handed to the socket: the moment the buffer may have drained.
    ws.send(text, check);
    check();
  };
}
