import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { encodeWire } from '../../shared/wireFormat';
import type { Workbench } from '../createWorkbench';
import { dispatchInvoke } from '../ipc/dispatchInvoke';
import { CONTENT_SECURITY_POLICY } from '../contentSecurityPolicy';
import { contentTypeOf, servedFilePath } from '../servedFile';
import { parseRequestTarget, type RequestTarget } from './requestTarget';
import { DEFAULT_BACK_PRESSURE, sendWithBackPressure, type BackPressureLimits } from './sendBackPressure';

const TOKEN_COOKIE = 'workbench_token';
const MAX_MESSAGE_BYTES = 1 << 20;
/** Requests one connection may have in flight; more are refused at once, so a flood cannot queue without bound. */
const MAX_IN_FLIGHT = 32;

export interface BrowserHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

function sameToken(expected: string, given: string | null | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieToken(request: IncomingMessage): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, value] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return value;
  }
  return undefined;
}

/**
 * Serves the built renderer and the workbench's services over a WebSocket on 127.0.0.1: the same contract as the
 * Electron IPC, for a browser (end-to-end tests, watching a training box from elsewhere through an SSH tunnel).
 * Every HTTP request and the WebSocket upgrade need the random token (in the URL, then in a same-site cookie);
 * Host and Origin must name this server, which stops DNS rebinding and other sites' pages.
 */
export async function startBrowserHost(
  workbench: Workbench,
  rendererDir: string,
  port = 0,
  limits: BackPressureLimits = DEFAULT_BACK_PRESSURE,
): Promise<BrowserHost> {
  const token = randomBytes(24).toString('base64url');
  const root = resolve(rendererDir);
  let origins: string[] = [];

  const authorized = (request: IncomingMessage, target: RequestTarget) => {
    const hostOk = origins.some((origin) => origin === `http://${request.headers.host}`);
    return hostOk && (sameToken(token, target.token) || sameToken(token, cookieToken(request)));
  };

  const serveFile = async (request: IncomingMessage, response: ServerResponse) => {
    // Nothing about the request is decoded before the token is checked, and nothing here may throw.
    const target = parseRequestTarget(request.url);
    if (!target) {
      response.writeHead(400, { 'content-type': 'text/plain' }).end('bad request target');
      return;
    }
    if (!authorized(request, target)) {
      response.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden: open the URL with its token');
      return;
    }
    const path = servedFilePath(root, target.rawPath);
    if (path === null) {
      response.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(path);
      response.writeHead(200, {
        'content-type': contentTypeOf(path),
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
        'set-cookie': `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
      });
      response.end(body);
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  };

  const server: Server = createServer((request, response) => {
    serveFile(request, response).catch(() => response.destroy());
  });
  // A malformed request line or header is answered by Node with this event; without a listener it would be logged
  // and the socket left to time out.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
    else socket.destroy();
  });
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  sockets.on('error', () => undefined);
  server.on('upgrade', (request, socket, head) => {
    // A reset during the handshake is the peer's business; it must not become an uncaught 'error'.
    socket.on('error', () => socket.destroy());
    const target = parseRequestTarget(request.url);
    const originOk = origins.includes(request.headers.origin ?? '');
    if (!target || target.rawPath !== '/ws' || !originOk || !authorized(request, target)) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => connect(ws));
  });

  const connect = (ws: WebSocket) => {
    // ws reports a protocol violation (oversized or unmasked frame, bad UTF-8, reserved opcode or close code) as an
    // 'error' and closes the connection itself; unheard, that error would end the process and every run in it.
    ws.on('error', () => ws.terminate());
    const sendText = sendWithBackPressure(ws, limits);
    const send = (message: unknown) => sendText(encodeWire(message));
    const unsubscribe = workbench.subscribe((channel, payload) => send({ event: channel, payload }));
    ws.on('close', unsubscribe);
    let inFlight = 0;
    ws.on('message', async (data, isBinary) => {
      let id: unknown = null;
      try {
        if (isBinary) throw new Error('binary frame');
        const message = JSON.parse(String(data)) as { id?: unknown; channel?: unknown; request?: unknown };
        id = typeof message.id === 'number' || typeof message.id === 'string' ? message.id : null;
        if (inFlight >= MAX_IN_FLIGHT) {
          send({ id, result: { ok: false, error: `too many requests in flight (at most ${MAX_IN_FLIGHT})` } });
          return;
        }
        inFlight++;
        try {
          send({ id, result: await dispatchInvoke(workbench.handlers, message.channel, message.request) });
        } finally {
          inFlight--;
        }
      } catch {
        send({ id, result: { ok: false, error: 'malformed message: expected JSON {id, channel, request}' } });
      }
    });
  };

  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => done());
  });
  const actualPort = (server.address() as AddressInfo).port;
  origins = [`http://127.0.0.1:${actualPort}`, `http://localhost:${actualPort}`];
  return {
    url: `http://127.0.0.1:${actualPort}/?token=${token}`,
    port: actualPort,
    token,
    close: () =>
      new Promise<void>((done) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.close(() => done());
      }),
  };
}
