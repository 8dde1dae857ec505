import { describe, expect, it } from 'vitest';
import { applyTrainEvent, emptyRunView } from '../../src/renderer/src/stores/runView';
import { headWeights, weightShade } from '../../src/renderer/src/charts/drawAttention';
import { viridis } from '../../src/renderer/src/charts/viridis';
import type { StartedEvent, TrainEvent } from '../../src/shared/events';
import { hyperParamsSchema } from '../../src/shared/hyperParams';

/** The started event of run 'r' (2 classes, 4 steps per epoch) for a run of `epochs` epochs. */
const started = (epochs: number): StartedEvent => ({
  type: 'started',
  runId: 'r',
  backend: { name: 'wasm', skipped: [] },
  datasetId: 'd',
  presetId: 'p',
  modelName: 'm',
  hyperParams: hyperParamsSchema.parse({ epochs }),
  parameterCount: 10,
  classNames: ['a', 'b'],
  split: { train: 8, validation: 2, test: 0 },
  stepsPerEpoch: 4,
});

describe('applyTrainEvent', () => {
  it('folds a run from started to finished and ignores other runs', () => {
    const view = emptyRunView('r', 3);
    const events: TrainEvent[] = [
      started(2),
      { type: 'progress', runId: 'r', epoch: 1, step: 1, globalStep: 1, loss: 0.9, samplesPerSecond: 50 },
      { type: 'progress', runId: 'other', epoch: 1, step: 9, globalStep: 9, loss: 9, samplesPerSecond: 1 },
      { type: 'progress', runId: 'r', epoch: 1, step: 2, globalStep: 2, loss: 0.7, samplesPerSecond: 60 },
      { type: 'epoch', runId: 'r', epoch: 1, loss: 0.8, accuracy: 0.5, valLoss: 0.75, valAccuracy: 0.6, seconds: 1 },
      { type: 'finished', runId: 'r', status: 'completed', epochs: 2, test: { loss: 0.5, accuracy: 0.9 } },
    ];
    const changed = events.map((event) => applyTrainEvent(view, event));
    expect(changed).toEqual([true, true, false, true, true, true]);
    expect(view).toMatchObject({
      status: 'completed',
      epochs: 2,
      stepsPerEpoch: 4,
      globalStep: 2,
      samplesPerSecond: 60,
      stepLoss: [
        [1, 0.9],
        [2, 0.7],
      ],
      test: { loss: 0.5, accuracy: 0.9 },
      backend: { name: 'wasm' },
    });
    expect(view.epochMetrics.map((e) => e.valAccuracy)).toEqual([0.6]);
  });

  it("shows a resumed run's notice (a damaged checkpoint passed over) while it trains, and its end after", () => {
    const view = emptyRunView('r', 3);
    const notice = 'the latest checkpoint (/runs/r/checkpoints/latest) is damaged: …; going on from best (epoch 2)';
    applyTrainEvent(view, { ...started(3), resumedFrom: { epoch: 2, globalStep: 8 }, notice });
    expect(view.reason).toBe(notice);
    applyTrainEvent(view, {
      type: 'finished',
      runId: 'r',
      status: 'stopped',
      reason: 'stopped by the user',
      epochs: 2,
    });
    expect(view.reason).toBe('stopped by the user');
  });
});

describe('attention colours', () => {
  it('reads a head out of [heads, queries, keys] and shades weights absolutely', () => {
    const layer = {
      layer: 'l',
      kind: 'tokens' as const,
      queryLabels: ['a', 'b'],
      keyLabels: ['a', 'b'],
      heads: 2,
      queries: 2,
      keys: 2,
      weights: new Float32Array([0.5, 0.5, 0.5, 0.5, 0.9, 0.1, 0.2, 0.8]),
    };
    expect(headWeights(layer, 1)).toEqual({
      values: new Float32Array([0.9, 0.1, 0.2, 0.8]),
      min: expect.closeTo(0.1, 6),
      max: expect.closeTo(0.9, 6),
    });
    expect(weightShade(0.25)).toBe(0.5);
    expect(viridis(0)).toEqual([68, 1, 84]);
    expect(viridis(1)).toEqual([253, 231, 37]);
    expect(viridis(Number.NaN)).toEqual([68, 1, 84]);
  });
});
