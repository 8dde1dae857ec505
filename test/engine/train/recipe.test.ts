import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/engine/backend';
import { buildModel } from '../../../src/engine/models/buildModel';
import { taskLoss } from '../../../src/engine/train/losses';
import { createOptimizer } from '../../../src/engine/train/optimizer';
import { trainModel } from '../../../src/engine/train/trainModel';
import { trainingStep } from '../../../src/engine/train/trainingStep';
import type { BackendReport } from '../../../src/shared/backends';
import type { ProgressEvent, TrainEvent } from '../../../src/shared/events';
import { hyperParamsSchema, type HyperParamsInput } from '../../../src/shared/hyperParams';
import { learningRateAt } from '../../../src/shared/learningRateSchedule';
import { smallTextTask } from '../../support/smallTextTask';

let backend: BackendReport;
const { spec, data } = smallTextTask();

/** Each layer's weights by layer name (the node id) and position: the same keys in two builds of one spec. */
function weightsByLayer(model: LayersModel): Record<string, Float32Array> {
  return Object.fromEntries(
    model.layers.flatMap((layer) =>
      layer.weights.map((w, i) => [`${layer.name}/${i}`, w.read().dataSync() as Float32Array]),
    ),
  );
}

async function train(hyperParams: HyperParamsInput, onModel?: (weights: () => Record<string, Float32Array>) => void) {
  const events: TrainEvent[] = [];
  const finished = await trainModel(
    {
      runId: 'recipe',
      datasetId: 'keyword-topics',
      presetId: 'transformer-text',
      spec,
      hyperParams: hyperParamsSchema.parse({ batchSize: 16, ...hyperParams }),
      backend,
      data,
      attentionIntervalMs: 1e9,
      progressIntervalMs: 0,
      ...(onModel
        ? {
            onTrained: async (model) => onModel(() => weightsByLayer(model)),
          }
        : {}),
    },
    { emit: (event) => events.push(event), stopRequested: () => false },
  );
  const progress = events.filter((e): e is ProgressEvent => e.type === 'progress');
  return { finished, progress };
}

beforeAll(async () => {
  backend = await selectBackend(process.env['WORKBENCH_BACKEND']);
});

describe('the training recipe', () => {
  it('every optimizer lowers the loss', async () => {
    for (const optimizer of ['adam', 'adamw', 'sgd', 'rmsprop'] as const) {
      const learningRate = optimizer === 'sgd' ? 0.05 : 3e-3;
      const { finished, progress } = await train({ optimizer, learningRate, epochs: 3, nesterov: optimizer === 'sgd' });
      expect(finished.status, `${optimizer}: ${finished.reason}`).toBe('completed');
      const mean = (xs: ProgressEvent[]) => xs.reduce((sum, e) => sum + e.loss, 0) / xs.length;
      expect(mean(progress.slice(-5)), optimizer).toBeLessThan(mean(progress.slice(0, 5)));
    }
  });

  it("sets each step's learning rate from the schedule", async () => {
    const recipe = { epochs: 2, learningRate: 0.01, schedule: 'cosine', warmupSteps: 3 } as const;
    const { progress } = await train(recipe);
    const stepsPerEpoch = Math.ceil(data.counts.train / 16);
    const expected = hyperParamsSchema.parse(recipe);
    for (const event of progress) {
      expect(event.learningRate).toBeCloseTo(
        learningRateAt(expected, event.globalStep, 2 * stepsPerEpoch, stepsPerEpoch),
        12,
      );
    }
    expect(progress.at(-1)!.learningRate).toBeCloseTo(0, 12);
  });

  it("leaves frozen blocks' weights as they were and trains the rest", async () => {
    // The run's seed fixes its initial weights: an untrained build with the same seed shows where it started.
    const { withSeededInitialization } = await import('../../../src/engine/models/seededInitialization');
    const fresh = withSeededInitialization(42, () =>
      buildModel(spec, { vocabSizes: data.vocabSizes, classes: 3, dropout: 0.1 }),
    );
    const before = weightsByLayer(fresh.model);
    fresh.model.dispose();
    let after: Record<string, Float32Array> = {};
    await train({ epochs: 1, freeze: ['embed', 'encoder1'] }, (read) => (after = read()));
    const names = Object.keys(after);
    const frozen = names.filter((name) => /^(embed|encoder1_)/.test(name));
    const trained = names.filter((name) => /^(encoder2_|head)/.test(name));
    expect(frozen.length).toBeGreaterThan(5);
    expect(trained.length).toBeGreaterThan(5);
    for (const name of frozen) expect(after[name], name).toEqual(before[name]);
    for (const name of trained.filter((n) => n.endsWith('/0'))) expect(after[name], name).not.toEqual(before[name]);
  });
});

describe('a training step', () => {
  it('clips the gradients to the global norm: plain SGD moves the weights by at most rate x norm', () => {
    const { model } = buildModel(spec, { vocabSizes: data.vocabSizes, classes: 3, dropout: 0 });
    const hyperParams = hyperParamsSchema.parse({ optimizer: 'sgd', momentum: 0, learningRate: 0.5, clipNorm: 1e-3 });
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const before = variables.map((v) => v.clone());
    const optimizer = createOptimizer(hyperParams);
    const tensors = trainingStep(
      { model, optimizer, variables, decayed: [], hyperParams, data, learningRate: 0.5 },
      [0, 1, 2, 3],
    );
    const moved = Math.sqrt(
      variables.reduce((sum, v, i) => sum + tf.sum(tf.square(tf.sub(v, before[i]!))).dataSync()[0]!, 0),
    );
    // SGD's update is rate x gradient; clipped, the gradient's norm is at most 1e-3 (it was far above).
    expect(moved).toBeCloseTo(0.5 * 1e-3, 6);
    tf.dispose([...before, tensors.loss, tensors.correct, tensors.counted]);
    optimizer.dispose();
    model.dispose();
  });

  it('smooths labels as Szegedy et al.: (1 - s) on the target, s spread over all classes', () => {
    const logits = [2, 0.5, -1];
    const logSoftmax = logits.map((l) => l - Math.log(logits.reduce((sum, x) => sum + Math.exp(x), 0)));
    const s = 0.2;
    const expected = -logSoftmax.reduce((sum, lp, c) => sum + ((c === 0 ? 1 - s : 0) + s / 3) * lp, 0);
    const loss = taskLoss(tf.tensor2d([logits]), tf.tensor1d([0], 'int32'), 3, false, s);
    expect(loss.dataSync()[0]).toBeCloseTo(expected, 5);
  });
});
