import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/engine/backend';
import { DatasetLibrary } from '../../../src/engine/data/library/datasetLibrary';
import { seededRandom } from '../../../src/engine/data/split/seededRandom';
import { prepareRunData } from '../../../src/engine/train/runTraining';
import type { BackendReport } from '../../../src/shared/backends';
import type { DatasetSummary } from '../../../src/shared/datasets';
import { importOptionsSchema } from '../../../src/shared/datasetImport';
import { hyperParamsSchema } from '../../../src/shared/hyperParams';
import { planRun, type RunPlan } from '../../../src/shared/runPlan';
import { writeImageFolder } from '../../support/datasetFixtures';
import { expectTrainingLossFalls } from '../../support/lossFalls';

let backend: BackendReport;
let root: string;
let summary: DatasetSummary;
let plan: RunPlan;
const folders = () => ({ cacheDir: join(root, 'cache'), datasetsDir: join(root, 'datasets') });
beforeAll(async () => {
  backend = await selectBackend(process.env['WORKBENCH_BACKEND']);
  root = await mkdtemp(join(tmpdir(), 'sharded-training-'));
  await writeImageFolder(join(root, 'colours'), 30);
  summary = await new DatasetLibrary(folders()).import(
    join(root, 'colours'),
    importOptionsSchema.parse({ format: 'image-folder' }),
  );
  const hyperParams = hyperParamsSchema.parse({
    epochs: 4,
    batchSize: 8,
    learningRate: 3e-3,
    dropout: 0,
    validationFraction: 0.15,
    testFraction: 0.1,
  });
  plan = planRun('sharded', { datasetId: summary.id, presetId: 'conv-attention-image', hyperParams }, summary);
});

describe('a dataset in shards', () => {
  it('gives the batches the same set in memory gives, fetched ahead, with no tensor left behind', async () => {
    const inMemory = await prepareRunData(plan, new DatasetLibrary(folders()));
    const sharded = await prepareRunData(plan, new DatasetLibrary({ ...folders(), inMemoryBytes: 0 }));
    expect(inMemory.fetch).toBeUndefined();
    expect(sharded.fetch).toBeTypeOf('function');
    expect(sharded.counts).toEqual(inMemory.counts);
    const order = sharded.trainingOrder!(seededRandom(5));
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: sharded.counts.train }, (_, i) => i));
    const before = tf.memory().numTensors;
    for (const [split, rows] of [
      ['train', order.slice(0, 8)],
      ['validation', [0, 1, 2]],
      ['test', [4, 0]],
      ['train', order.slice(8, 16)],
    ] as const) {
      await sharded.fetch!(split, rows);
      const fetched = sharded.batch(split, rows);
      // Not fetched first: read there and then, the same bytes.
      const unfetched = sharded.batch(split, rows);
      const memory = inMemory.batch(split, rows);
      for (const batch of [fetched, unfetched]) {
        expect(batch.inputs[0]!.arraySync()).toEqual(memory.inputs[0]!.arraySync());
        expect(batch.targets.arraySync()).toEqual(memory.targets.arraySync());
      }
      tf.dispose([fetched, unfetched, memory].flatMap((b) => [...b.inputs, b.targets]));
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('trains conv-attention-image streamed from its shards: the loss falls', async () => {
    await expectTrainingLossFalls(
      { plan, backend, datasets: new DatasetLibrary({ ...folders(), inMemoryBytes: 0 }) },
      4,
    );
  }, 120_000);
});
