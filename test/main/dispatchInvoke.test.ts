import { describe, expect, it } from 'vitest';
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
    expect(await dispatchInvoke(handlers, 'fs:readFile', {})).toEqual({ ok: false, error: 'unknown channel "fs:readFile"' });
  });

  it('names the field at fault in an invalid request, without calling the handler', async () => {
    calls.length = 0;
    const result = await dispatchInvoke(handlers, 'train:start', { datasetId: 'd', presetId: 'p', hyperParams: { epochs: -1 } });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/^invalid train:start request: hyperParams\.epochs: /);
    expect(await dispatchInvoke(handlers, 'train:stop', { runId: '../../etc' })).toMatchObject({ ok: false });
    expect(await dispatchInvoke(handlers, 'app:info', { extra: 1 })).toMatchObject({ ok: false });
    const badImport = await dispatchInvoke(handlers, 'datasets:import', { importId: 'x/../y', path: '/data', options: { format: 'exe', channels: 2 } });
    expect(!badImport.ok && badImport.error).toMatch(/^invalid datasets:import request: importId: .*options\.format: .*options\.channels: /s);
    expect(await dispatchInvoke(handlers, 'datasets:samples', { datasetId: 'd', limit: 100_000 })).toMatchObject({ ok: false });
    expect(calls).toEqual([]);
  });

  it('passes the validated request, with defaults filled in, and turns a thrown error into a message', async () => {
    const result = await dispatchInvoke(handlers, 'train:start', { datasetId: 'd', presetId: 'p', hyperParams: { epochs: 2 } });
    expect(result).toMatchObject({ ok: true, value: { echoed: { hyperParams: { epochs: 2, optimizer: 'adam', batchSize: 32 } } } });
    expect(await dispatchInvoke(handlers, 'runs:list', {})).toEqual({ ok: false, error: 'disk full' });
  });
});
