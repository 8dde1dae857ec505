import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/engine/backend';
import { earlyStopping } from '../../../src/engine/train/monitors/earlyStopping';
import { epochMonitor } from '../../../src/engine/train/monitors/epochMonitor';
import { nanGuard } from '../../../src/engine/train/monitors/nanGuard';
import { progressMonitor } from '../../../src/engine/train/monitors/progressMonitor';
import { StepWindow } from '../../../src/engine/train/monitors/stepWindow';
import type { LoopState, StepValues } from '../../../src/engine/train/monitors/trainingMonitor';
import type { TrainEvent } from '../../../src/shared/events';

beforeAll(async () => {
  await selectBackend('cpu');
});

function loopState(events: TrainEvent[], model?: Partial<LayersModel>): LoopState {
  return {
    runId: 'r',
    epoch: 1,
    step: 1,
    globalStep: 1,
    stepsPerEpoch: 3,
    model: model as LayersModel,
    emit: (e) => events.push(e),
  };
}
const step = (globalStep: number, loss: number, correct = 1, counted = 2): StepValues => ({
  epoch: 1,
  step: globalStep,
  globalStep,
  samples: 2,
  learningRate: 0.01,
  loss,
  correct,
  counted,
});

describe('the step window', () => {
  it('reads every held step in one go, in order, and frees their tensors', async () => {
    const before = tf.memory().numTensors;
    const window = new StepWindow(1e9);
    expect(window.due(false)).toBe(false);
    for (let i = 1; i <= 3; i++) {
      window.add(
        { epoch: 1, step: i, globalStep: i, samples: 4, learningRate: 0.1 },
        { loss: tf.scalar(i / 10), correct: tf.scalar(i), counted: tf.scalar(4) },
      );
    }
    expect(window.due(false)).toBe(false);
    expect(window.due(true)).toBe(true);
    const { steps } = await window.read();
    expect(steps.map((s) => [s.globalStep, s.loss, s.correct, s.counted])).toEqual([
      [1, expect.closeTo(0.1, 6), 1, 4],
      [2, expect.closeTo(0.2, 6), 2, 4],
      [3, expect.closeTo(0.3, 6), 3, 4],
    ]);
    expect(tf.memory().numTensors).toBe(before);
    expect((await window.read()).steps).toEqual([]);
  });

  it('is due when its interval has passed or it is full, and frees what it holds when disposed', async () => {
    const before = tf.memory().numTensors;
    const full = new StepWindow(1e9, 2);
    const add = () =>
      full.add(
        { epoch: 1, step: 1, globalStep: 1, samples: 1, learningRate: 0.1 },
        { loss: tf.scalar(1), correct: tf.scalar(1), counted: tf.scalar(1) },
      );
    add();
    expect(full.due(false)).toBe(false);
    add();
    expect(full.due(false)).toBe(true);
    full.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const timed = new StepWindow(0);
    timed.add(
      { epoch: 1, step: 1, globalStep: 1, samples: 1, learningRate: 0.1 },
      { loss: tf.scalar(1), correct: tf.scalar(1), counted: tf.scalar(1) },
    );
    expect(timed.due(false)).toBe(true);
    timed.dispose();
  });
});

describe('monitors', () => {
  it('progress: one event per read window, with its mean loss and throughput', () => {
    const events: TrainEvent[] = [];
    progressMonitor().afterRead!(loopState(events), [step(4, 1), step(5, 3)], 500);
    expect(events).toEqual([
      {
        type: 'progress',
        runId: 'r',
        epoch: 1,
        step: 5,
        globalStep: 5,
        loss: 2,
        samplesPerSecond: 8,
        learningRate: 0.01,
      },
    ]);
  });

  it('NaN guard: names the first step whose loss is not a number', () => {
    expect(() => nanGuard().afterRead!(loopState([]), [step(7, 1), step(8, NaN), step(9, Infinity)], 1)).toThrow(
      'the loss became NaN at epoch 1, step 8: lower the learning rate',
    );
    expect(() => nanGuard().afterRead!(loopState([]), [step(7, 1)], 1)).not.toThrow();
  });

  it('epoch: sums the windows of an epoch, weighting the loss by samples, then starts again', () => {
    const events: TrainEvent[] = [];
    const monitor = epochMonitor();
    monitor.afterRead!(loopState(events), [step(1, 1, 2, 2)], 1);
    monitor.afterRead!(loopState(events), [{ ...step(2, 4, 0, 2), samples: 6 }], 1);
    monitor.afterEpoch!(loopState(events), { epoch: 1, validation: { loss: 0.5, accuracy: 0.75 }, seconds: 2 });
    expect(events[0]).toEqual({
      type: 'epoch',
      runId: 'r',
      epoch: 1,
      loss: (1 * 2 + 4 * 6) / 8,
      accuracy: 0.5,
      valLoss: 0.5,
      valAccuracy: 0.75,
      seconds: 2,
    });
    monitor.afterEpoch!(loopState(events), { epoch: 2, validation: { loss: 0.4, accuracy: 0.8 }, seconds: 1 });
    expect(events[1]).toMatchObject({ epoch: 2, loss: 0, accuracy: 0 });
  });

  it('early stopping: stops after `patience` epochs without a better validation loss and restores the best weights', () => {
    let weights = [tf.scalar(0)];
    const model = {
      getWeights: () => weights,
      setWeights: (w: tf.Tensor[]) => (weights = w.map((t) => t.clone() as tf.Scalar)),
    };
    const reasons: string[] = [];
    const monitor = earlyStopping(
      { earlyStoppingPatience: 2, earlyStoppingMetric: 'val-loss', earlyStoppingMinDelta: 0, restoreBest: true },
      (reason) => reasons.push(reason),
    );
    const state = loopState([], model as unknown as Partial<LayersModel>);
    const epoch = (n: number, loss: number) => {
      weights = [tf.scalar(n)];
      return monitor.afterEpoch!(state, { epoch: n, validation: { loss, accuracy: 0 }, seconds: 1 });
    };
    expect(epoch(1, 0.9)).toBeUndefined();
    expect(epoch(2, 0.5)).toBeUndefined();
    expect(epoch(3, 0.6)).toBeUndefined();
    expect(epoch(4, 0.7)).toBe('stop');
    expect(reasons).toEqual(['early stopping: no better validation loss since epoch 2']);
    monitor.finish!(state);
    expect(weights[0]!.dataSync()[0]).toBe(2);
  });

  it('early stopping by validation accuracy: only a gain above the minimum delta counts as better', () => {
    const reasons: string[] = [];
    const monitor = earlyStopping(
      {
        earlyStoppingPatience: 2,
        earlyStoppingMetric: 'val-accuracy',
        earlyStoppingMinDelta: 0.01,
        restoreBest: false,
      },
      (reason) => reasons.push(reason),
    );
    const state = loopState([]);
    const epoch = (n: number, accuracy: number) =>
      monitor.afterEpoch!(state, { epoch: n, validation: { loss: 1, accuracy }, seconds: 1 });
    expect(epoch(1, 0.5)).toBeUndefined();
    expect(epoch(2, 0.505)).toBeUndefined(); // +0.005: not better
    expect(epoch(3, 0.509)).toBe('stop');
    expect(reasons).toEqual(['early stopping: no better validation accuracy since epoch 1']);
  });
});
