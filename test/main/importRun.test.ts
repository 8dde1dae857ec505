import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeSafetensors } from '../../src/export/safetensors';
import { frameRecord } from '../../src/main/runs/metricsLog';
import { importRun } from '../../src/main/runs/importRun';
import { RunStore } from '../../src/main/runs/runStore';
import { hyperParamsSchema } from '../../src/shared/hyperParams';
import { findPreset } from '../../src/shared/architecture/presets';

/** An export folder whose run/ train.py has written, made by hand: a model of one dense layer. */
let good: string;
beforeAll(async () => {
  good = await mkdtemp(join(tmpdir(), 'import-good-'));
  await writeFile(
    join(good, 'workbench.json'),
    JSON.stringify({
      format: 1,
      spec: findPreset('mlp-image')!.spec,
      datasetId: 'object-in-clutter',
      presetId: 'mlp-image',
      hyperParams: hyperParamsSchema.parse({ epochs: 2 }),
      weights: [{ name: 'head/bias', shape: [3] }],
    }),
  );
  const run = join(good, 'run');
  await mkdir(run);
  await writeFile(
    join(run, 'run.json'),
    JSON.stringify({
      status: 'completed',
      backend: { name: 'pytorch 2.3 · torchrun 8×cuda' },
      test: { loss: 0.5, accuracy: 0.75 },
    }),
  );
  await writeFile(
    join(run, 'metrics.log'),
    [
      { type: 'started', runId: 'run', backend: 'pytorch', processes: 8 },
      { type: 'progress', runId: 'run', epoch: 1, step: 1, globalStep: 1, loss: 1.5, samplesPerSecond: 10 },
      { type: 'epoch', runId: 'run', epoch: 1, loss: 1, accuracy: 0.5, valLoss: 1, valAccuracy: 0.5, seconds: 1 },
      { type: 'finished', runId: 'run', status: 'completed', epochs: 1, test: { loss: 0.5, accuracy: 0.75 } },
    ]
      .map((event) => frameRecord(JSON.stringify(event)))
      .join(''),
  );
  await writeFile(
    join(run, 'weights.safetensors'),
    encodeSafetensors([{ name: 'head/bias', dtype: 'F32', shape: [3], data: new Float32Array([1, 2, 3]) }]),
  );
});

/** A copy of the good folder with one file replaced (or removed with null). */
async function folderWith(file: string, content: string | Uint8Array | null): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'import-bad-'));
  await cp(good, folder, { recursive: true });
  if (content === null) await rm(join(folder, file));
  else await writeFile(join(folder, file), content);
  return folder;
}

describe('importing a run trained elsewhere', () => {
  it('stores it under a new id with what trained it, its events, and its weights as the final checkpoint', async () => {
    const store = new RunStore(await mkdtemp(join(tmpdir(), 'runs-')));
    const { record } = await importRun(store, good);
    expect(record).toMatchObject({ origin: 'import', trainedBy: 'pytorch 2.3 · torchrun 8×cuda', status: 'completed' });
    expect(record.test).toEqual({ loss: 0.5, accuracy: 0.75 });
    const { events } = await store.get(record.id);
    expect(events.map((e) => e.type)).toEqual(['progress', 'epoch', 'finished']);
    expect(events.every((e) => e.runId === record.id)).toBe(true);
    const final = (await store.artifacts.loadCheckpoint(record.id, ['final']))!;
    expect(final.index).toMatchObject({ epoch: 1, globalStep: 1 });
    expect([...new Float32Array(final.tensors.slice().buffer)]).toEqual([1, 2, 3]);
  });

  it.each([
    ['workbench.json', null, /workbench\.json: missing$/],
    ['workbench.json', '{"format":1}', /workbench\.json: spec: Invalid input/],
    ['run/run.json', '{"status":"done"}', /run\/run\.json: status: Invalid option/],
    ['run/weights.safetensors', null, /run\/weights\.safetensors: missing \(did train\.py finish\?\)$/],
    ['run/weights.safetensors', new Uint8Array(5), /weights\.safetensors: not a safetensors file: shorter than/],
    [
      'run/weights.safetensors',
      encodeSafetensors([{ name: 'head/bias', dtype: 'F32', shape: [4], data: new Float32Array(4) }]),
      /weights\.safetensors: head\/bias is F32 \[4\], the model's is F32 \[3\]$/,
    ],
    ['run/metrics.log', null, /run\/metrics\.log: missing$/],
  ])('refuses a folder whose %s is wrong, naming it, and stores nothing', async (file, content, message) => {
    const root = await mkdtemp(join(tmpdir(), 'runs-'));
    const store = new RunStore(root);
    await expect(importRun(store, await folderWith(file, content as string | Uint8Array | null))).rejects.toThrow(
      message,
    );
    expect(await readdir(root)).toEqual([]);
  });

  it('reads a metrics log torn by a crash up to its last whole record', async () => {
    const log = await readFile(join(good, 'run', 'metrics.log'), 'utf8');
    const folder = await folderWith('run/metrics.log', log.slice(0, -20));
    const store = new RunStore(await mkdtemp(join(tmpdir(), 'runs-')));
    const { record } = await importRun(store, folder);
    expect((await store.get(record.id)).events.map((e) => e.type)).toEqual(['progress', 'epoch']);
  });
});
