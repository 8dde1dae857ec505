import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunStore } from '../../src/main/runs/runStore';
import type { TrainEvent } from '../../src/shared/events';
import { hyperParamsSchema } from '../../src/shared/hyperParams';
import { findPreset } from '../../src/shared/architecture/presets';
import { readEventFile } from '../support/tensorboardReader';

describe('TensorBoard event files', () => {
  it("hold the run's scalars, readable by an independent TFRecord and protobuf reader", async () => {
    const root = await mkdtemp(join(tmpdir(), 'tensorboard-'));
    const store = new RunStore(root);
    await store.create({
      id: 'r',
      createdAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-01T00:00:00Z',
      status: 'running',
      datasetId: 'd',
      presetId: null,
      spec: findPreset('transformer-text')!.spec,
      hyperParams: hyperParamsSchema.parse({}),
    });
    const events: TrainEvent[] = [
      { type: 'progress', runId: 'r', epoch: 1, step: 1, globalStep: 1, loss: 1.5, samplesPerSecond: 100 },
      { type: 'progress', runId: 'r', epoch: 1, step: 2, globalStep: 2, loss: 0.75, samplesPerSecond: 120 },
      { type: 'epoch', runId: 'r', epoch: 1, loss: 1.1, accuracy: 0.5, valLoss: 0.9, valAccuracy: 0.625, seconds: 1 },
      { type: 'finished', runId: 'r', status: 'completed', epochs: 1, test: { loss: 0.8, accuracy: 0.75 } },
    ];
    for (const event of events) await store.append('r', event);
    const folder = join(root, 'r', 'tensorboard');
    const [file] = await readdir(folder);
    expect(file).toMatch(/^events\.out\.tfevents\.\d+\./);
    const read = readEventFile(await readFile(join(folder, file!)));
    expect(read[0]!.fileVersion).toBe('brain.Event:2');
    expect(read.slice(1)).toEqual([
      { step: 1, scalars: { 'train/loss': 1.5, 'train/samples_per_second': 100 } },
      { step: 2, scalars: { 'train/loss': 0.75, 'train/samples_per_second': 120 } },
      {
        step: 2,
        scalars: {
          'epoch/loss': expect.closeTo(1.1, 6),
          'epoch/accuracy': 0.5,
          'validation/loss': expect.closeTo(0.9, 6),
          'validation/accuracy': 0.625,
        },
      },
      { step: 2, scalars: { 'test/loss': expect.closeTo(0.8, 6), 'test/accuracy': 0.75 } },
    ]);
  });
});

describe('the metrics CSV', () => {
  it('has a row per progress report and per epoch, which a CSV parser reads back', async () => {
    const { metricsCsv } = await import('../../src/main/runs/metricsCsv');
    const Papa = (await import('papaparse')).default;
    const csv = metricsCsv([
      { type: 'progress', runId: 'r', epoch: 1, step: 1, globalStep: 1, loss: 1.5, samplesPerSecond: 100 },
      { type: 'attention', runId: 'r', epoch: 1, globalStep: 1, tokens: [], label: 'a', predicted: 'a', layers: [] },
      { type: 'progress', runId: 'r', epoch: 1, step: 2, globalStep: 2, loss: 0.75, samplesPerSecond: 120 },
      { type: 'epoch', runId: 'r', epoch: 1, loss: 1.1, accuracy: 0.5, valLoss: 0.9, valAccuracy: 0.625, seconds: 3 },
    ]);
    const rows = Papa.parse<Record<string, string>>(csv, { header: true }).data;
    expect(rows).toHaveLength(3);
    expect(rows[1]).toMatchObject({ kind: 'step', global_step: '2', loss: '0.75', samples_per_second: '120' });
    expect(rows[2]).toMatchObject({
      kind: 'epoch',
      epoch: '1',
      global_step: '2',
      val_loss: '0.9',
      val_accuracy: '0.625',
    });
  });
});
