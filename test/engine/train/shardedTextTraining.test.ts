import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/engine/backend';
import {
  buildInspectionContext,
  inspectDataset,
  sampleDataset,
} from '../../../src/engine/data/inspection/inspectDataset';
import { DatasetLibrary } from '../../../src/engine/data/library/datasetLibrary';
import { prepareRunData } from '../../../src/engine/train/runTraining';
import type { BackendReport } from '../../../src/shared/backends';
import type { DatasetSummary } from '../../../src/shared/datasets';
import { importOptionsSchema } from '../../../src/shared/datasetImport';
import { hyperParamsSchema } from '../../../src/shared/hyperParams';
import { planRun, type RunPlan } from '../../../src/shared/runPlan';
import { expectTrainingLossFalls } from '../../support/lossFalls';
import { fixtureWords, reviews, writeCsv, type LabelledText } from '../../support/textFixtures';

let backend: BackendReport;
let root: string;
let rows: LabelledText[];
let summary: DatasetSummary;
let plan: RunPlan;
const hyperParams = hyperParamsSchema.parse({
  epochs: 3,
  batchSize: 16,
  learningRate: 2e-3,
  dropout: 0,
  validationFraction: 0.15,
  testFraction: 0.1,
});
// Every text file is streamed into shards, however small.
const library = () =>
  new DatasetLibrary({ cacheDir: join(root, 'cache'), datasetsDir: join(root, 'datasets'), streamTextBytes: 0 });

beforeAll(async () => {
  backend = await selectBackend(process.env['WORKBENCH_BACKEND']);
  root = await mkdtemp(join(tmpdir(), 'sharded-text-'));
  rows = reviews(600);
  await writeCsv(join(root, 'reviews.csv'), rows);
  summary = await library().import(join(root, 'reviews.csv'), importOptionsSchema.parse({ maxTokens: 48 }));
  plan = planRun('sharded-text', { datasetId: summary.id, presetId: 'transformer-text', hyperParams }, summary);
});

describe('texts stored as token ids', () => {
  it('are listed as a sharded dataset with the tokenizer they were cut with', () => {
    expect(summary.task).toBe('text-classification');
    expect(summary.examples).toBe(600);
    expect(summary.shards?.count).toBe(1);
    expect(summary.shards?.bytes).toBe(600 * 48 * 4);
    expect(summary.defaultTokenizer).toBe('word');
    expect(summary.notes?.join(' ')).toMatch(/vocabulary of \d+ words learnt in a first pass over all 600 texts/);
  });

  it('give batches of each text’s first ids, fetched ahead, with no tensor left behind', async () => {
    const prepared = await prepareRunData(plan, library());
    expect(prepared.fetch).toBeTypeOf('function');
    expect(prepared.shards?.record).toBe('tokens');
    const vocabulary = prepared.exportInfo.vocabularies['tokens']!;
    const before = tf.memory().numTensors;
    for (const [split, picked] of [
      ['train', [0, 5, 9, 30]],
      ['validation', [2, 1]],
      ['test', [0]],
    ] as const) {
      await prepared.fetch!(split, picked);
      const batch = prepared.batch(split, picked);
      expect(batch.inputs[0]!.shape).toEqual([picked.length, 64]);
      const ids = batch.inputs[0]!.arraySync() as number[][];
      const labels = batch.targets.arraySync() as number[];
      picked.forEach((row, i) => {
        const source = rows[prepared.shards!.records[split][row]!]!;
        // The model reads 64 positions; 48 were stored, so a longer text is cut at 48 and padded.
        const words = fixtureWords(source.text).slice(0, 48);
        expect(ids[i]!.slice(0, words.length).map((id) => vocabulary[id])).toEqual(words);
        expect(ids[i]!.slice(words.length).every((id) => id === 0)).toBe(true);
        expect(prepared.classNames[labels[i]!]).toBe(source.label);
        expect(prepared.view(split, row).tokens['tokens']).toEqual(words);
      });
      tf.dispose([...batch.inputs, batch.targets]);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('read ids past a smaller vocabulary as <unk>, and refuse another kind of tokenizer', async () => {
    const small = { ...plan, tokenizer: { kind: 'word' as const, vocabSize: 6, minFrequency: 1 } };
    const prepared = await prepareRunData(small, library());
    expect(prepared.vocabSizes['tokens']).toBe(6);
    const ids = prepared.batch('train', [0, 1, 2]).inputs[0]!;
    const values = (ids.arraySync() as number[][]).flat();
    expect(Math.max(...values)).toBeLessThan(6);
    expect(values).toContain(1);
    tf.dispose(ids);
    const bpe = { ...plan, tokenizer: { kind: 'bpe' as const, minFrequency: 1 } };
    await expect(prepareRunData(bpe, library())).rejects.toThrow(/stored as word tokens when it was imported/);
  });

  it('are inspected from the lengths kept at import and the shards', async () => {
    const data = await library().load(summary.id);
    const context = buildInspectionContext(summary, data, hyperParams, plan.spec.inputs);
    const inspection = inspectDataset(context);
    const lengths = rows.map((r) => fixtureWords(r.text).length);
    const histogram = inspection.text!.lengths[0]!;
    expect(histogram.mean).toBeCloseTo(lengths.reduce((a, b) => a + b, 0) / lengths.length, 9);
    expect(histogram.longest).toBe(Math.max(...lengths));
    expect(inspection.text!.vocabularies[0]!.coverage).toBe(1);
    const page = sampleDataset(context, 'train', 0, 3);
    page.samples.forEach((sample) => {
      const source = rows[sample.index]!;
      if (!('fields' in sample) || !sample.fields) throw new Error('a text sample has fields');
      expect(sample.fields[0]!.tokens.map((t) => t.text)).toEqual(fixtureWords(source.text).slice(0, 48));
      expect('label' in sample && sample.label).toBe(source.label);
    });
  });

  it('train transformer-text streamed from the shards: the loss falls', async () => {
    await expectTrainingLossFalls({ plan, backend, datasets: library() }, 3);
  }, 120_000);

  it('are removed with their folder, and a cancelled import leaves none', async () => {
    const datasets = library();
    const extra = await datasets.import(join(root, 'reviews.csv'), importOptionsSchema.parse({ name: 'extra' }));
    await datasets.load(extra.id);
    expect(await datasets.remove(extra.id)).toBe(true);
    const controller = new AbortController();
    controller.abort();
    await expect(
      datasets.import(join(root, 'reviews.csv'), importOptionsSchema.parse({}), { signal: controller.signal }),
    ).rejects.toThrow();
    expect(await readdir(join(root, 'datasets'))).toEqual([summary.id]);
  });
});
