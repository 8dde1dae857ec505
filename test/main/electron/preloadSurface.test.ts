import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';

/** The preload's whole surface, checked against a recording fake of 'electron' (no binary needed). */
const electron = vi.hoisted(() => ({
  exposed: [] as [string, Record<string, unknown>][],
  invoked: [] as unknown[][],
  listening: [] as string[],
}));
vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: Record<string, unknown>) => electron.exposed.push([key, api]),
  },
  ipcRenderer: {
    invoke: (...args: unknown[]) => (electron.invoked.push(args), Promise.resolve({ ok: true, value: null })),
    on: (channel: string) => electron.listening.push(channel),
    removeListener: () => undefined,
  },
  webUtils: { getPathForFile: () => '/dropped/file.csv' },
}));

await import('../../../src/preload/index');

describe('the preload', () => {
  it('exposes window.workbench alone, with invoke, on and pathForFile', () => {
    expect(electron.exposed.map(([key]) => key)).toEqual(['workbench']);
    expect(Object.keys(electron.exposed[0]![1]).sort()).toEqual(['invoke', 'on', 'pathForFile']);
  });

  it('forwards only channels of the contract, over the one invoke channel', async () => {
    const bridge = electron.exposed[0]![1] as {
      invoke(channel: string, request: unknown): Promise<unknown>;
      on(channel: string, listener: () => void): () => void;
    };
    expect(await bridge.invoke('fs:readFile', { path: '/etc/passwd' })).toEqual({
      ok: false,
      error: 'unknown channel fs:readFile',
    });
    expect(electron.invoked).toEqual([]);
    await bridge.invoke('app:info', {});
    expect(electron.invoked).toEqual([['workbench:invoke', 'app:info', {}]]);
    bridge.on('not:an-event', () => undefined);
    expect(electron.listening).toEqual([]);
    bridge.on('train:event', () => undefined);
    expect(electron.listening).toEqual(['workbench:event']);
  });

  it('is built to import nothing but electron', () => {
    const bundle = new URL('../../../out/preload/index.cjs', import.meta.url);
    if (!existsSync(bundle)) {
      console.log(
        'skipping the preload bundle check: out/preload/index.cjs is built by `npm test` (electron-vite build) first',
      );
      return;
    }
    const required = [...readFileSync(bundle, 'utf8').matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
  });
});
