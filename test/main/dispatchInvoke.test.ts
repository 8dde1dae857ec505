import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INVOKE_CHANNELS } from '../../src/shared/channels';
import { invokeContract } from '../../src/shared/ipc';
import { dispatchInvoke } from '../../src/main/ipc/dispatchInvoke';
import type { InvokeHandlers } from '../../src/main/services/invokeHandlers';

const calls: unknown[] = [];
const handlers = new Proxy({} as InvokeHandlers, {
  get: (_target, channel) => async (request: unknown) => {
    calls.push([channel, request]);
    if (channel === 'runs:list') throw new Error('disk full');
    return { echoed: request };
  },
});

describe('dispatchInvoke', () => {
  it('refuses an unknown channel', async () => {
    expect(await dispatchInvoke(handlers, 'fs:readFile', {})).toEqual({
      ok: false,
      error: 'unknown channel "fs:readFile"',
    });
  });

  it('names the field at fault in an invalid request, without calling the handler', async () => {
    calls.length = 0;
    const result = await dispatchInvoke(handlers, 'train:start', {
      datasetId: 'd',
      presetId: 'p',
      hyperParams: { epochs: -1 },
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/^invalid train:start request: hyperParams\.epochs: /);
    expect(await dispatchInvoke(handlers, 'train:stop', { runId: '../../etc' })).toMatchObject({ ok: false });
    expect(await dispatchInvoke(handlers, 'app:info', { extra: 1 })).toMatchObject({ ok: false });
    const badImport = await dispatchInvoke(handlers, 'datasets:import', {
      importId: 'x/../y',
      path: '/data',
      options: { format: 'exe', channels: 2 },
    });
    expect(!badImport.ok && badImport.error).toMatch(
      /^invalid datasets:import request: importId: .*options\.format: .*options\.channels: /s,
    );
    expect(await dispatchInvoke(handlers, 'datasets:samples', { datasetId: 'd', limit: 100_000 })).toMatchObject({
      ok: false,
    });
    expect(calls).toEqual([]);
  });

  it('passes the validated request, with defaults filled in, and turns a thrown error into a message', async () => {
    const result = await dispatchInvoke(handlers, 'train:start', {
      datasetId: 'd',
      presetId: 'p',
      hyperParams: { epochs: 2 },
    });
    expect(result).toMatchObject({
      ok: true,
      value: { echoed: { hyperParams: { epochs: 2, optimizer: 'adam', batchSize: 32 } } },
    });
    expect(await dispatchInvoke(handlers, 'runs:list', {})).toEqual({ ok: false, error: 'disk full' });
  });

  it('fuzz: any channel and any payload gets an envelope, and a handler sees only requests its schema accepts', async () => {
    const channel = fc.oneof(fc.constantFrom(...INVOKE_CHANNELS), fc.string(), fc.jsonValue());
    // Payloads shaped like real requests, with wrong types, extra keys, huge and odd values mixed in.
    const payload = fc.oneof(
      fc.jsonValue(),
      fc.dictionary(
        fc.constantFrom(
          'datasetId',
          'presetId',
          'runId',
          'importId',
          'path',
          'spec',
          'hyperParams',
          'kind',
          'options',
          '__proto__',
          'constructor',
        ),
        fc.jsonValue(),
      ),
      fc.constant(undefined),
    );
    await fc.assert(
      fc.asyncProperty(channel, payload, async (name, request) => {
        calls.length = 0;
        const result = await dispatchInvoke(handlers, name, request);
        expect(typeof result.ok).toBe('boolean');
        if (!result.ok) expect(typeof result.error).toBe('string');
        for (const [called, validated] of calls as [keyof typeof invokeContract, unknown][]) {
          expect(invokeContract[called].request.safeParse(validated).success).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
