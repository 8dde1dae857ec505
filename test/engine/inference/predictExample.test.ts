import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/engine/backend';
import { DatasetLibrary } from '../../../src/engine/data/library/datasetLibrary';
import { findDataset } from '../../../src/engine/data/builtin/catalog';
import { predictExample } from '../../../src/engine/inference/predictExample';
import { loadTrainedRun, type TrainedRun } from '../../../src/engine/inference/trainedRun';
import { runTraining } from '../../../src/engine/train/runTraining';
import type { BackendReport } from '../../../src/shared/backends';
import type { RunEvaluation } from '../../../src/shared/evaluation/runEvaluation';
import type { FinishedEvent } from '../../../src/shared/events';
import { hyperParamsSchema } from '../../../src/shared/hyperParams';
import { planRun, type RunPlan } from '../../../src/shared/runPlan';
import { RunArtifactFiles } from '../../../src/main/runs/runArtifactFiles';
import { nodeFileSystem } from '../../../src/main/runs/runFileSystem';

let backend: BackendReport;
let runsDir: string;
let library: DatasetLibrary;
beforeAll(async () => {
  backend = await selectBackend(process.env['WORKBENCH_BACKEND']);
  const root = await mkdtemp(join(tmpdir(), 'predict-'));
  runsDir = join(root, 'runs');
  library = new DatasetLibrary({ cacheDir: join(root, 'cache'), datasetsDir: join(root, 'datasets') });
});

/** Trains a preset briefly into the run store, as the worker does, and loads the run back. */
async function trainedRun(runId: string, datasetId: string, presetId: string, recipe: Record<string, number>) {
  const plan: RunPlan = planRun(
    runId,
    {
      datasetId,
      presetId,
      hyperParams: hyperParamsSchema.parse({ batchSize: 32, dropout: 0, learningRate: 3e-3, ...recipe }),
    },
    findDataset(datasetId),
  );
  const finished: FinishedEvent = await runTraining(
    { plan, backend, datasets: library, artifacts: new RunArtifactFiles(nodeFileSystem, runsDir) },
    { emit: () => undefined, stopRequested: () => false },
    { attentionIntervalMs: 1e9, progressIntervalMs: 1e9 },
  );
  expect(finished.reason ?? '').toBe('');
  const evaluation = JSON.parse(await readFile(join(runsDir, runId, 'evaluation.json'), 'utf8')) as RunEvaluation;
  return {
    plan,
    finished,
    evaluation,
    run: await loadTrainedRun(plan, new RunArtifactFiles(nodeFileSystem, runsDir), library),
  };
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('asking a trained run about one example', () => {
  it('text classification: every test row predicted as the test metrics counted it; typed text = its row', async () => {
    const { finished, evaluation, run } = await trainedRun('text', 'keyword-topics', 'transformer-text', {
      epochs: 2,
      maxTrainExamples: 320,
      testFraction: 0.1,
    });
    expect(run.weights).toMatchObject({ slot: 'final', epoch: 2 });
    let right = 0;
    for (let row = 0; row < run.data.counts.test; row++) {
      const prediction = await predictExample(run, { kind: 'sample', split: 'test', row });
      if (prediction.probabilities[0]!.label === prediction.attention.label) right++;
    }
    // Counted by the training loop's own test pass and by the evaluation report, independently of this path.
    expect(right / run.data.counts.test).toBeCloseTo(finished.test!.accuracy, 9);
    expect(right / run.data.counts.test).toBeCloseTo(evaluation.accuracy, 9);

    const sample = await predictExample(run, { kind: 'sample', split: 'validation', row: 3 });
    expect(sum(sample.probabilities.map((p) => p.probability))).toBeCloseTo(1, 5);
    const ranked = sample.probabilities.map((p) => p.probability);
    expect(ranked).toEqual([...ranked].sort((a, b) => b - a));
    expect(sample.splits).toEqual(run.data.counts);
    // The attention is over the example's own tokens, on both axes of every self-attention map.
    expect(sample.attention.tokens.length).toBeGreaterThan(0);
    const selfAttention = sample.attention.layers.find((l) => l.queries === l.keys)!;
    expect(selfAttention.keyLabels).toEqual(sample.attention.tokens);

    // The row's words typed in are cut and encoded as its training text was: the same answer.
    const typed = await predictExample(run, { kind: 'text', text: sample.attention.tokens.join(' ') });
    expect(typed.attention.label).toBe('');
    typed.probabilities.forEach((p, i) => {
      expect(p.label).toBe(sample.probabilities[i]!.label);
      expect(p.probability).toBeCloseTo(sample.probabilities[i]!.probability, 5);
    });

    const before = tf.memory().numTensors;
    for (let i = 0; i < 4; i++) await predictExample(run, { kind: 'text', text: `ball goal team ${i}` });
    expect(tf.memory().numTensors).toBe(before);

    await expect(predictExample(run, { kind: 'sample', split: 'test', row: 10_000 })).rejects.toThrow(
      /the test split has \d+ rows \(0 to \d+\); there is no row 10000/,
    );
    await expect(predictExample(run, { kind: 'image', width: 1, height: 1, rgba: new Uint8Array(4) })).rejects.toThrow(
      'this run classifies text: give it text, not an image',
    );
    await expect(predictExample(run, { kind: 'text', text: '   ' })).rejects.toThrow('holds no token');
    expect(tf.memory().numTensors).toBe(before);
    run.dispose();
  }, 120_000);

  it('image classification: the image given back as RGBA bytes is predicted as its row; gates come with it', async () => {
    const { run } = await trainedRun('image', 'object-in-clutter', 'conv-attention-image', {
      epochs: 1,
      maxTrainExamples: 96,
    });
    const sample = await predictExample(run, { kind: 'sample', split: 'validation', row: 0 });
    const image = sample.attention.image!;
    expect(image.pixels).toHaveLength(image.height * image.width * image.channels);
    expect(sample.attention.layers.some((l) => l.kind === 'spatial')).toBe(true);
    // The same picture as a user would drop it: RGBA bytes (grey repeated, or RGB), opaque.
    const rgba = new Uint8Array(image.height * image.width * 4);
    for (let p = 0; p < image.height * image.width; p++) {
      for (let c = 0; c < 3; c++)
        rgba[p * 4 + c] = Math.round(image.pixels[p * image.channels + (image.channels === 1 ? 0 : c)]! * 255);
      rgba[p * 4 + 3] = 255;
    }
    const dropped = await predictExample(run, { kind: 'image', width: image.width, height: image.height, rgba });
    expect(Array.from(dropped.attention.image!.pixels)).toEqual(
      Array.from(image.pixels).map((v) => expect.closeTo(v, 2)),
    );
    dropped.probabilities.forEach((p, i) => expect(p.probability).toBeCloseTo(sample.probabilities[i]!.probability, 3));
    await expect(predictExample(run, { kind: 'text', text: 'a cat' })).rejects.toThrow(
      'this run classifies images: give it an image, not text',
    );
    run.dispose();
  }, 120_000);

  it("seq2seq: greedy and beam side by side, the cross-attention rows are the decoded sentence's tokens", async () => {
    const { evaluation, run } = await trainedRun('seq2seq', 'date-formats', 'transformer-seq2seq', {
      epochs: 2,
      maxTrainExamples: 640,
    });
    const missed = new Map(evaluation.mistakes.map((m) => [m.row, m.predicted]));
    for (let row = 0; row < 6; row++) {
      const prediction = await predictExample(run, { kind: 'sample', split: 'test', row }, 3);
      const decoded = prediction.attention.decoded!;
      expect(decoded.beamWidth).toBe(3);
      expect(decoded.beamLogProb).toBeGreaterThanOrEqual(decoded.greedyLogProb - 1e-4);
      // Greedy decoding one source at a time agrees with the report's batched greedy decoding.
      expect(decoded.greedy).toBe(missed.get(row) ?? prediction.attention.label);
    }
    const prediction = await predictExample(run, { kind: 'sample', split: 'test', row: 0 }, 2);
    const cross = prediction.attention.layers.filter((l) => l.queries !== l.keys || l.layer.includes('cross'));
    expect(cross.length).toBeGreaterThan(0);
    const rows = cross[0]!.queryLabels;
    expect(rows.at(-1)).toBe('<eos>');
    expect(cross[0]!.keyLabels).toEqual(prediction.attention.tokens);
    const typed = await predictExample(run, { kind: 'text', text: prediction.attention.tokens.join('') }, 2);
    expect(typed.attention.decoded).toEqual(prediction.attention.decoded);
    run.dispose();
  }, 180_000);

  it('tagging: one tag per token, never padding; a run without weights says so', async () => {
    const { run } = await trainedRun('tagger', 'entity-tagging', 'transformer-tagger', {
      epochs: 1,
      maxTrainExamples: 320,
    });
    const prediction = await predictExample(run, { kind: 'text', text: 'Alice flew to Paris on Monday' });
    expect(prediction.tags.map((t) => t.token)).toEqual(prediction.attention.tokens);
    for (const tag of prediction.tags) {
      expect(tag.tag).not.toBe('<pad>');
      expect(tag.probability).toBeGreaterThan(0);
      expect(tag.probability).toBeLessThanOrEqual(1);
    }
    expect(prediction.attention.predicted.split(' ')).toHaveLength(prediction.tags.length);
    run.dispose();
    const plan = { ...(run as TrainedRun).plan, runId: 'never-trained' };
    await expect(loadTrainedRun(plan, new RunArtifactFiles(nodeFileSystem, runsDir), library)).rejects.toThrow(
      'run never-trained has no saved weights: it ended before its first epoch did',
    );
  }, 120_000);
});
