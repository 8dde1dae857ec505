import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { decodeWire, encodeWire } from '../../shared/wireFormat';
import type { Workbench } from '../createWorkbench';
import { dispatchInvoke } from '../ipc/dispatchInvoke';
import { CONTENT_SECURITY_POLICY } from '../contentSecurityPolicy';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};
const TOKEN_COOKIE = 'workbench_token';
const MAX_MESSAGE_BYTES = 1 << 20;

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
export async function startBrowserHost(workbench: Workbench, rendererDir: string, port = 0): Promise<BrowserHost> {
  const token = randomBytes(24).toString('base64url');
  const root = resolve(rendererDir);
  let origins: string[] = [];

  const authorized = (request: IncomingMessage, url: URL) => {
    const hostOk = origins.some((origin) => origin === `http://${request.headers.host}`);
    return hostOk && (sameToken(token, url.searchParams.get('token')) || sameToken(token, cookieToken(request)));
  };

  const serveFile = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (!authorized(request, url)) {
      response.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden: open the URL with its token');
      return;
    }
    const relative = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
    const path = normalize(join(root, relative));
    if (!path.startsWith(root + sep)) {
      response.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(path);
      response.writeHead(200, {
        'content-type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
        'set-cookie': `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
      });
      response.end(body);
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  };

  const server: Server = createServer((request, response) => void serveFile(request, response));
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const originOk = origins.includes(request.headers.origin ?? '');
    if (url.pathname !== '/ws' || !originOk || !authorized(request, url)) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => connect(ws));
  });

  const connect = (ws: WebSocket) => {
    const unsubscribe = workbench.subscribe((channel, payload) => {
      if (ws.readyState === ws.OPEN) ws.send(encodeWire({ event: channel, payload }));
    });
    ws.on('close', unsubscribe);
    ws.on('message', async (data) => {
      let id: unknown = null;
      try {
        const message = decodeWire(String(data)) as { id?: unknown; channel?: unknown; request?: unknown };
        id = message.id;
        const result = await dispatchInvoke(workbench.handlers, message.channel, message.request);
        ws.send(encodeWire({ id, result }));
      } catch {
        ws.send(encodeWire({ id, result: { ok: false, error: 'malformed message: expected JSON {id, channel, request}' } }));
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
