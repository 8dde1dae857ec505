import { describe, expect, it } from 'vitest';
import { compareTable, runCurve, smooth } from '../../src/renderer/src/runs/compareRuns';
import { filterRuns, sortRuns } from '../../src/renderer/src/runs/runTable';
import type { TrainEvent } from '../../src/shared/events';
import { hyperParamsSchema } from '../../src/shared/hyperParams';
import type { RunRecord } from '../../src/shared/runs';
import { PRESETS } from '../../src/shared/architecture/presets';

const run = (id: string, extra: Partial<RunRecord> = {}): RunRecord => ({
  id,
  createdAt: `2026-01-0${id.length}T00:00:00Z`,
  updatedAt: '2026-01-01T00:00:00Z',
  status: 'completed',
  datasetId: 'keyword-topics',
  presetId: 'transformer-text',
  spec: PRESETS[2]!.spec,
  hyperParams: hyperParamsSchema.parse({}),
  ...extra,
});

describe('the runs table', () => {
  const runs = [
    run('a', { best: { epoch: 1, valLoss: 1, valAccuracy: 0.5 }, tags: ['baseline'] }),
    run('bb', { best: { epoch: 2, valLoss: 0.5, valAccuracy: 0.9 }, datasetId: 'spam-assassin', status: 'failed' }),
    run('ccc', { name: 'Wide' }),
  ];
  it('filters by text in name, dataset, architecture or tag, and by status', () => {
    expect(filterRuns(runs, 'baseline', '').map((r) => r.id)).toEqual(['a']);
    expect(filterRuns(runs, 'SPAM', '').map((r) => r.id)).toEqual(['bb']);
    expect(filterRuns(runs, 'wide', '').map((r) => r.id)).toEqual(['ccc']);
    expect(filterRuns(runs, '', 'failed').map((r) => r.id)).toEqual(['bb']);
  });
  it('sorts newest first, or best first by a figure with runs lacking it last', () => {
    expect(sortRuns(runs, 'started').map((r) => r.id)).toEqual(['ccc', 'bb', 'a']);
    expect(sortRuns(runs, 'best').map((r) => r.id)).toEqual(['bb', 'a', 'ccc']);
  });
});

describe('comparing runs', () => {
  const events: TrainEvent[] = [
    { type: 'progress', runId: 'r', epoch: 1, step: 1, globalStep: 1, loss: 1, samplesPerSecond: 1 },
    { type: 'progress', runId: 'r', epoch: 1, step: 2, globalStep: 2, loss: 0.5, samplesPerSecond: 1 },
    { type: 'epoch', runId: 'r', epoch: 1, loss: 0.75, accuracy: 0.5, valLoss: 0.7, valAccuracy: 0.6, seconds: 1 },
    { type: 'progress', runId: 'r', epoch: 2, step: 1, globalStep: 3, loss: 9, samplesPerSecond: 1 },
    {
      type: 'started',
      runId: 'r',
      backend: { name: 'wasm', skipped: [] },
      datasetId: 'd',
      presetId: null,
      modelName: 'm',
      hyperParams: hyperParamsSchema.parse({}),
      parameterCount: 1,
      classNames: ['a'],
      split: { train: 1, validation: 1, test: 1 },
      stepsPerEpoch: 2,
      resumedFrom: { epoch: 1, globalStep: 2 },
    },
    { type: 'progress', runId: 'r', epoch: 2, step: 1, globalStep: 3, loss: 0.25, samplesPerSecond: 1 },
  ];
  it('draws a curve by step or by epoch, without the points a resume superseded', () => {
    expect(runCurve(events, 'loss', 'step')).toEqual([
      [0, 1],
      [1, 1],
      [2, 0.5],
      [3, 0.25],
    ]);
    expect(runCurve(events, 'valAccuracy', 'epoch')).toEqual([[1, 0.6]]);
    expect(runCurve(events, 'valLoss', 'step')).toEqual([[2, 0.7]]);
  });
  it("draws a one-window run (a fast baseline's single epoch) as a line from step 0", () => {
    const progress = (globalStep: number, loss: number): TrainEvent => ({
      type: 'progress',
      runId: 'fc',
      epoch: 1,
      step: globalStep,
      globalStep,
      loss,
      learningRate: 0.001,
      samplesPerSecond: 1000,
    });
    expect(runCurve([progress(37, 0.9)], 'loss', 'step')).toEqual([
      [0, 0.9],
      [37, 0.9],
    ]);
    expect(runCurve([], 'loss', 'step')).toEqual([]);
  });
  it('smooths as TensorBoard does: a debiased exponential moving average', () => {
    expect(
      smooth(
        [
          [1, 1],
          [2, 0],
        ],
        0,
      ),
    ).toEqual([
      [1, 1],
      [2, 0],
    ]);
    const [first, second] = smooth(
      [
        [1, 1],
        [2, 0],
      ],
      0.5,
    );
    expect(first![1]).toBeCloseTo(1, 12);
    // (0.5 * 0.5 * 1 + 0.5 * 0) / (1 - 0.25)
    expect(second![1]).toBeCloseTo(0.25 / 0.75, 12);
  });
  it('marks the rows that differ between the runs', () => {
    const rows = compareTable([run('a'), run('b', { hyperParams: hyperParamsSchema.parse({ learningRate: 0.01 }) })]);
    expect(rows.find((r) => r.label === 'learningRate')).toEqual({
      label: 'learningRate',
      values: ['0.001', '0.01'],
      differs: true,
    });
    expect(rows.find((r) => r.label === 'batchSize')!.differs).toBe(false);
  });
});

describe('head history', () => {
  it('follows each head of each token layer across the saved epochs', async () => {
    const { headHistory } = await import('../../src/renderer/src/runs/headHistory');
    const snapshot = (epoch: number, weights: number[]) => ({
      type: 'attention' as const,
      runId: 'r',
      epoch,
      globalStep: epoch,
      tokens: ['a', 'b'],
      label: 'x',
      predicted: 'x',
      layers: [
        {
          layer: 'l',
          kind: 'tokens' as const,
          queryLabels: ['a', 'b'],
          keyLabels: ['a', 'b'],
          heads: 1,
          queries: 2,
          keys: 2,
          weights: Float32Array.from(weights),
        },
        {
          layer: 'se',
          kind: 'channels' as const,
          queryLabels: [],
          keyLabels: [],
          heads: 1,
          queries: 1,
          keys: 2,
          weights: Float32Array.from([0.5, 0.5]),
        },
      ],
    });
    const history = headHistory([snapshot(1, [0.5, 0.5, 0.5, 0.5]), snapshot(2, [1, 0, 0, 1])]);
    expect(history.epochs).toEqual([1, 2]);
    expect(history.series.map((s) => s.name)).toEqual(['layer 1 head 1']);
    expect(history.series[0]!.points[0]!.entropy).toBeCloseTo(Math.log(2), 6);
    expect(history.series[0]!.points[1]).toEqual({ epoch: 2, entropy: 0, meanDistance: 0 });
  });
});
