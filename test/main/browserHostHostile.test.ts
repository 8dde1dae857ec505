import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Workbench } from '../../src/main/createWorkbench';
import { startBrowserHost, type BrowserHost } from '../../src/main/host/browserHost';
import type { InvokeHandlers } from '../../src/main/services/invokeHandlers';
import { frameBytes, openRawWebSocket, rawHttpStatus } from '../support/rawWebSocket';

/**
 * What a page on another local origin, or any local process, can send the browser host. Each case once took the
 * process down (and every training run in it); the host must answer and then go on serving.
 */

let host: BrowserHost;
const workbench: Workbench = {
  handlers: new Proxy({} as InvokeHandlers, { get: () => async () => ({ answered: true }) }),
  subscribe: () => () => undefined,
  close: async () => undefined,
};
const origin = () => `http://127.0.0.1:${host.port}`;

/** The host is alive if a proper client can still connect and get an answer. */
async function answersAValidRequest(): Promise<void> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, { origin: origin() });
  const reply = await new Promise<unknown>((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () => ws.send(JSON.stringify({ id: 1, channel: 'app:info', request: {} })));
    ws.once('message', (data) => resolve(JSON.parse(String(data))));
  });
  ws.close();
  expect(reply).toEqual({ id: 1, result: { ok: true, value: { answered: true } } });
}

/** Writes the frames, then waits until the server has closed the connection (or a short while has passed). */
async function sendRaw(bytes: Buffer[]): Promise<void> {
  const socket = await openRawWebSocket(host.port, `/ws?token=${host.token}`, origin());
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      socket.destroy();
      resolve();
    }, 300);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.on('error', () => undefined);
    for (const chunk of bytes) socket.write(chunk);
  });
}

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'renderer-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>workbench</title>');
  host = await startBrowserHost(workbench, dir);
});
afterAll(() => host.close());

describe('browser host under hostile requests', () => {
  it('answers unparsable request targets with 400 and broken percent-encoding with 404, before or after the token', async () => {
    const hostHeader = `Host: 127.0.0.1:${host.port}`;
    expect(await rawHttpStatus(host.port, `GET //[ HTTP/1.1\r\n${hostHeader}\r\n\r\n`)).toBe(400);
    expect(await rawHttpStatus(host.port, `GET /%E0%A4%A?token=${host.token} HTTP/1.1\r\n${hostHeader}\r\n\r\n`)).toBe(
      404,
    );
    expect(await rawHttpStatus(host.port, `GET /%00?token=${host.token} HTTP/1.1\r\n${hostHeader}\r\n\r\n`)).toBe(404);
    const upgrade = `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==`;
    expect(await rawHttpStatus(host.port, `GET //[ HTTP/1.1\r\n${hostHeader}\r\n${upgrade}\r\n\r\n`)).toBe(403);
    expect(
      await rawHttpStatus(host.port, `GET /ws?token=%E0%A4%A HTTP/1.1\r\n${hostHeader}\r\n${upgrade}\r\n\r\n`),
    ).toBe(403);
    expect(await rawHttpStatus(host.port, 'NOT HTTP AT ALL\r\n\r\n')).toBe(400);
    await answersAValidRequest();
  });

  it('survives frames that break the WebSocket protocol', async () => {
    const text = (payload: number[]) => new Uint8Array(payload);
    const cases = {
      'over the size limit': [frameBytes({ opcode: 1, payload: text([]), declaredLength: 2 ** 21 })],
      'invalid UTF-8': [frameBytes({ opcode: 1, payload: text([0xff, 0xfe, 0xfd]) })],
      unmasked: [frameBytes({ opcode: 1, masked: false, payload: text([0x7b, 0x7d]) })],
      'reserved opcode 3': [frameBytes({ opcode: 3, payload: text([1]) })],
      'close code 999': [frameBytes({ opcode: 8, payload: text([0x03, 0xe7]) })],
      'reserved bits set': [frameBytes({ opcode: 1, rsv: 4, payload: text([0x7b]) })],
      'a fragmented control frame': [frameBytes({ opcode: 9, fin: false, payload: text([]) })],
    };
    for (const [name, bytes] of Object.entries(cases)) {
      await sendRaw(bytes);
      await expect(answersAValidRequest(), name).resolves.toBeUndefined();
    }
  });

  it('refuses a flood of requests beyond the in-flight limit instead of queueing them', async () => {
    const slow = new Promise<void>(() => undefined);
    const stalled: Workbench = { ...workbench, handlers: new Proxy({} as InvokeHandlers, { get: () => () => slow }) };
    const dir = await mkdtemp(join(tmpdir(), 'renderer-'));
    const floodHost = await startBrowserHost(stalled, dir);
    const ws = new WebSocket(`ws://127.0.0.1:${floodHost.port}/ws?token=${floodHost.token}`, {
      origin: `http://127.0.0.1:${floodHost.port}`,
    });
    const refused = await new Promise<unknown>((resolve) => {
      ws.once('open', () => {
        for (let id = 0; id < 40; id++) ws.send(JSON.stringify({ id, channel: 'app:info', request: {} }));
      });
      ws.once('message', (data) => resolve(JSON.parse(String(data))));
    });
    expect(refused).toEqual({ id: 32, result: { ok: false, error: 'too many requests in flight (at most 32)' } });
    ws.terminate();
    await floodHost.close();
  }, 10_000);

  it('pauses a client that never reads its answers, then disconnects it; the host does not grow', async () => {
    // Each answer is 64 kB: 10,000 unread ones would be 640 MB held by the host without back-pressure.
    const answer = 'x'.repeat(64 * 1024);
    const verbose: Workbench = {
      ...workbench,
      handlers: new Proxy({} as InvokeHandlers, { get: () => async () => answer }),
    };
    const dir = await mkdtemp(join(tmpdir(), 'renderer-'));
    const limits = {
      pauseAboveBytes: 256 * 1024,
      resumeBelowBytes: 64 * 1024,
      disconnectAboveBytes: 2 * 1024 * 1024,
      maxPausedMs: 1500,
    };
    const slowHost = await startBrowserHost(verbose, dir, 0, limits);
    const memory = () => {
      const usage = process.memoryUsage();
      return usage.heapUsed + usage.external;
    };
    const before = memory();
    const socket = await openRawWebSocket(
      slowHost.port,
      `/ws?token=${slowHost.token}`,
      `http://127.0.0.1:${slowHost.port}`,
    );
    // Never read: what the host sends piles up in its buffers once the kernel's are full.
    socket.pause();
    socket.on('error', () => undefined);
    const request = (id: number) =>
      frameBytes({
        opcode: 1,
        payload: new TextEncoder().encode(JSON.stringify({ id, channel: 'app:info', request: {} })),
      });
    let peak = 0;
    for (let id = 0; id < 10_000; id++) {
      socket.write(request(id));
      if (id % 500 === 0) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        peak = Math.max(peak, memory() - before);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, limits.maxPausedMs + 1000));
    peak = Math.max(peak, memory() - before);
    // Reading now gets what the kernel had buffered, then the end: the host hung up, it did not go on answering.
    let received = 0;
    const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => (received += chunk.length));
    socket.resume();
    await ended;
    console.log(
      `unread client: ${(received / 1e6).toFixed(1)} MB of 655 MB answered before it was disconnected; ` +
        `the host grew by at most ${(peak / 1e6).toFixed(1)} MB`,
    );
    expect(received).toBeLessThan(32e6);
    expect(peak).toBeLessThan(64e6);
    await slowHost.close();
    await answersAValidRequest();
  }, 30_000);

  it('fuzz: random request targets and headers never take the host down', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'binary-ascii', maxLength: 60 }),
        fc.constantFrom('', `token=${'x'}`, 'token=%'),
        fc.boolean(),
        async (target, query, asUpgrade) => {
          const line = `GET ${target.replace(/[\r\n ]/g, '')}${query ? `?${query}` : ''} HTTP/1.1`;
          const upgrade = asUpgrade ? 'Upgrade: websocket\r\nConnection: Upgrade\r\n' : '';
          const status = await rawHttpStatus(host.port, `${line}\r\nHost: 127.0.0.1:${host.port}\r\n${upgrade}\r\n`);
          expect([400, 403, 404, null]).toContain(status);
        },
      ),
      { numRuns: 150 },
    );
    await answersAValidRequest();
  });

  it('fuzz: random frames after a valid handshake never take the host down', async () => {
    const frame = fc.record({
      fin: fc.boolean(),
      rsv: fc.integer({ min: 0, max: 7 }),
      opcode: fc.integer({ min: 0, max: 15 }),
      masked: fc.boolean(),
      payload: fc.uint8Array({ maxLength: 40 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(frame, { minLength: 1, maxLength: 4 }),
        fc.uint8Array({ maxLength: 30 }),
        async (frames, junk) => {
          await sendRaw([...frames.map(frameBytes), Buffer.from(junk)]);
        },
      ),
      { numRuns: 60 },
    );
    await answersAValidRequest();
  });

  it('fuzz: random JSON messages are answered with an envelope', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, { origin: origin() });
    await new Promise((resolve) => ws.once('open', resolve));
    const replies: unknown[] = [];
    ws.on('message', (data) => replies.push(JSON.parse(String(data))));
    const messages = fc.sample(
      fc.oneof(fc.jsonValue(), fc.record({ id: fc.jsonValue(), channel: fc.string(), request: fc.jsonValue() })),
      { numRuns: 200, seed: 7 },
    );
    for (const message of messages) ws.send(JSON.stringify(message) ?? 'null');
    await new Promise((resolve) => setTimeout(resolve, 500));
    ws.close();
    expect(replies).toHaveLength(messages.length);
    for (const reply of replies) expect(reply).toHaveProperty('result.ok');
    await answersAValidRequest();
  });
});
