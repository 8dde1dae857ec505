import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/engine/backend';
import { generateKeywordTopics } from '../../../src/engine/data/builtin/keywordTopics';
import { prepareTextClassificationTask } from '../../../src/engine/data/tensors/textClassificationTensors';
import { trainModel, type TrainingOptions } from '../../../src/engine/train/trainModel';
import type { BackendReport } from '../../../src/shared/backends';
import type { TrainEvent } from '../../../src/shared/events';
import { hyperParamsSchema, type HyperParamsInput } from '../../../src/shared/hyperParams';
import { findPreset } from '../../../src/shared/architecture/presets';

let backend: BackendReport;
const spec = structuredClone(findPreset('transformer-text')!.spec);
spec.inputs[0] = { id: 'tokens', kind: 'tokens', maxLength: 32, vocabSize: 400 };
const data = prepareTextClassificationTask({ kind: 'text-classification', ...generateKeywordTopics(900, 3) }, spec, {
  validationFraction: 0.15,
  testFraction: 0.1,
  seed: 1,
});

function options(hyperParams: HyperParamsInput): TrainingOptions {
  return {
    runId: 'test',
    datasetId: 'keyword-topics',
    presetId: 'transformer-text',
    spec,
    hyperParams: hyperParamsSchema.parse(hyperParams),
    backend,
    data,
    attentionIntervalMs: 0,
    progressIntervalMs: 0,
  };
}

beforeAll(async () => {
  backend = await selectBackend(process.env['WORKBENCH_BACKEND']);
});

describe('trainModel', () => {
  // Two epochs: on this task the loss stays near ln 3 for 40-60 steps before it drops, so one epoch was a coin toss.
  it('lowers the loss, keeps the tensor count flat from step 5 to step 100, and frees its model', async () => {
    const events: TrainEvent[] = [];
    const tensorsAt = new Map<number, number>();
    const before = tf.memory().numTensors;
    const finished = await trainModel(options({ epochs: 2, batchSize: 12, learningRate: 2e-3 }), {
      emit: (event) => events.push(event),
      stopRequested: () => false,
      afterStep: (step) => tensorsAt.set(step, tf.memory().numTensors),
    });
    expect(finished.status).toBe('completed');
    expect(tensorsAt.get(100)).toBe(tensorsAt.get(5));
    expect(tf.memory().numTensors).toBe(before);

    const losses = events.flatMap((e) => (e.type === 'progress' ? [e.loss] : []));
    expect(losses.length).toBeGreaterThanOrEqual(100);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(-10))).toBeLessThan(mean(losses.slice(0, 10)) * 0.5);

    const types = events.map((e) => e.type);
    expect(types[0]).toBe('started');
    expect(types.at(-1)).toBe('finished');
    expect(types).toContain('epoch');
    const attention = events.find((e) => e.type === 'attention')!;
    expect(attention.type === 'attention' && attention.layers.map((l) => [l.heads, l.queries, l.keys])).toEqual([
      [4, attention.tokens.length, attention.tokens.length],
      [4, attention.tokens.length, attention.tokens.length],
    ]);
  });

  it('stops between steps when asked', async () => {
    let steps = 0;
    const finished = await trainModel(options({ epochs: 5 }), {
      emit: () => undefined,
      stopRequested: () => steps >= 3,
      afterStep: () => steps++,
    });
    expect(finished.status).toBe('stopped');
    expect(steps).toBe(3);
  });

  it('waits while paused, and stops a paused run when asked', async () => {
    let steps = 0;
    let pausedPolls = 0;
    const finished = await trainModel(options({ epochs: 5 }), {
      emit: () => undefined,
      // Paused after two steps until the pause has been polled five times, then stopped after the fourth step.
      paused: () => steps === 2 && pausedPolls++ < 5,
      stopRequested: () => steps >= 4,
      afterStep: () => steps++,
    });
    expect(pausedPolls).toBe(6);
    expect(finished).toMatchObject({ status: 'stopped' });
    expect(steps).toBe(4);
  });

  it('reads the loss back once per progress window, not once per step', async () => {
    const events: TrainEvent[] = [];
    let steps = 0;
    await trainModel(
      { ...options({ epochs: 1, batchSize: 12 }), progressIntervalMs: 1e9 },
      {
        emit: (event) => events.push(event),
        stopRequested: () => false,
        afterStep: () => steps++,
      },
    );
    // An interval longer than the run: one read at the end of the epoch, with every step's loss in its mean.
    expect(steps).toBeGreaterThan(50);
    expect(events.filter((e) => e.type === 'progress')).toHaveLength(1);
    expect(events.find((e) => e.type === 'progress')).toMatchObject({ step: steps, globalStep: steps });
  });

  it('fails with a clear reason when the loss stops being a number', async () => {
    const finished = await trainModel(options({ epochs: 2, optimizer: 'sgd', learningRate: 10, dropout: 0 }), {
      emit: () => undefined,
      stopRequested: () => false,
    });
    expect(finished.status).toBe('failed');
    expect(finished.reason).toMatch(
      /the loss became (NaN|Infinity|-Infinity) at epoch \d+, step \d+: lower the learning rate/,
    );
  });
});

describe('seeded initialization', () => {
  it('the same seed gives the same initial weights, another seed other weights', async () => {
    const { withSeededInitialization } = await import('../../../src/engine/models/seededInitialization');
    const { buildModel } = await import('../../../src/engine/models/buildModel');
    const weights = async (seed: number) => {
      const { model } = withSeededInitialization(seed, () =>
        buildModel(spec, { vocabSizes: { tokens: 50 }, classes: 3, dropout: 0 }),
      );
      const values = await Promise.all(model.getWeights().map(async (w) => [...(await w.data())]));
      model.dispose();
      return values.flat();
    };
    const [a, b, c] = [await weights(1), await weights(1), await weights(2)];
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(Math.random()).not.toBe(Math.random()); // restored
  });
});
