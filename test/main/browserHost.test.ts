import { mkdtemp, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { EventSink, Workbench } from '../../src/main/createWorkbench';
import { startBrowserHost, type BrowserHost } from '../../src/main/host/browserHost';
import type { InvokeHandlers } from '../../src/main/services/invokeHandlers';
import { decodeWire } from '../../src/shared/wireFormat';

let host: BrowserHost;
let sink: EventSink | null = null;
const workbench: Workbench = {
  handlers: new Proxy({} as InvokeHandlers, { get: () => async () => ({ answered: true }) }),
  subscribe: (s) => {
    sink = s;
    return () => (sink = null);
  },
  close: async () => undefined,
};

function connect(path: string, origin?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}${path}`, origin ? { origin } : {});
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'renderer-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>workbench</title>');
  await writeFile(join(tmpdir(), 'secret.txt'), 'secret');
  host = await startBrowserHost(workbench, dir);
});
afterAll(() => host.close());

describe('browser host', () => {
  it('serves the page only with the token, with a strict CSP, and then by cookie', async () => {
    expect((await fetch(`http://127.0.0.1:${host.port}/`)).status).toBe(403);
    expect((await fetch(`http://127.0.0.1:${host.port}/?token=wrong`)).status).toBe(403);
    const page = await fetch(host.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'(;|$)/);
    expect(page.headers.get('content-security-policy')).not.toMatch(/unsafe-(inline|eval)/);
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
    expect((await fetch(`http://127.0.0.1:${host.port}/index.html`, { headers: { cookie } })).status).toBe(200);
  });

  it('refuses another Host (DNS rebinding) and paths outside the renderer', async () => {
    // fetch() may not override Host, so ask with http.request as a rebinding attacker's page would reach us.
    const status = await new Promise<number>((resolve, reject) =>
      request(host.url, { headers: { host: `attacker.example:${host.port}` } }, (res) => resolve(res.statusCode!))
        .on('error', reject)
        .end(),
    );
    expect(status).toBe(403);
    const traversal = await fetch(`http://127.0.0.1:${host.port}/..%2Fsecret.txt?token=${host.token}`);
    expect(traversal.status).toBe(404);
  });

  it('upgrades to a WebSocket only with the token and this origin', async () => {
    const origin = `http://127.0.0.1:${host.port}`;
    await expect(connect(`/ws?token=${host.token}`, 'http://evil.example')).rejects.toThrow(/403/);
    await expect(connect('/ws?token=nope', origin)).rejects.toThrow(/403/);
    await expect(connect(`/ws?token=${host.token}`)).rejects.toThrow(/403/);
    const ws = await connect(`/ws?token=${host.token}`, origin);
    const messages: unknown[] = [];
    ws.on('message', (data) => messages.push(decodeWire(String(data))));
    ws.send(JSON.stringify({ id: 7, channel: 'app:info', request: {} }));
    ws.send(JSON.stringify({ id: 8, channel: 'no:such', request: {} }));
    ws.send('not json');
    await new Promise((resolve) => setTimeout(resolve, 200));
    sink!('train:event', {
      type: 'attention',
      runId: 'r',
      epoch: 0,
      globalStep: 0,
      tokens: ['a'],
      label: 'x',
      predicted: 'x',
      layers: [
        {
          layer: 'l',
          kind: 'tokens',
          queryLabels: ['a'],
          keyLabels: ['a'],
          heads: 1,
          queries: 1,
          keys: 1,
          weights: new Float32Array([0.125]),
        },
      ],
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(messages).toContainEqual({ id: 7, result: { ok: true, value: { answered: true } } });
    expect(messages).toContainEqual({ id: 8, result: { ok: false, error: 'unknown channel "no:such"' } });
    expect(messages).toContainEqual({
      id: null,
      result: { ok: false, error: 'malformed message: expected JSON {id, channel, request}' },
    });
    const pushed = messages.find((m) => (m as { event?: string }).event === 'train:event') as {
      payload: { layers: { weights: Float32Array }[] };
    };
    expect(pushed.payload.layers[0]!.weights).toEqual(new Float32Array([0.125]));
    ws.close();
  });
});
