import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trainWithReplicas, type ReplicaRunOptions } from '../../src/main/training/replicaRun';
import { findDataset } from '../../src/engine/data/builtin/catalog';
import type { TrainEvent } from '../../src/shared/events';
import { hyperParamsSchema, type HyperParamsInput } from '../../src/shared/hyperParams';
import type { EpochEvent, ProgressEvent, StartedEvent } from '../../src/shared/events';
import { planRun } from '../../src/shared/runPlan';
import { launchSourceWorker } from '../support/sourceWorker';

const REPLICA_SOURCE = new URL('../../src/main/training/replicaWorker.ts', import.meta.url).href;

const TEXT_RECIPE = { epochs: 2, batchSize: 16, dropout: 0, learningRate: 3e-3, maxTrainExamples: 320 };

async function options(
  runId: string,
  overrides: Partial<ReplicaRunOptions> = {},
  target = { datasetId: 'keyword-topics', presetId: 'transformer-text', recipe: TEXT_RECIPE as HyperParamsInput },
  root?: string,
) {
  root ??= await mkdtemp(join(tmpdir(), 'replicas-'));
  const plan = planRun(
    runId,
    { datasetId: target.datasetId, presetId: target.presetId, hyperParams: hyperParamsSchema.parse(target.recipe) },
    findDataset(target.datasetId),
  );
  const events: TrainEvent[] = [];
  const run: ReplicaRunOptions = {
    plan,
    replicas: 2,
    launch: (data) => launchSourceWorker(data, REPLICA_SOURCE),
    shared: {
      backend: 'wasm',
      cacheDir: join(root, 'cache'),
      datasetsDir: join(root, 'datasets'),
      runsDir: join(root, 'runs'),
      attentionIntervalMs: 0,
      progressIntervalMs: 0,
    },
    emit: (event) => events.push(event),
    stopRequested: () => false,
    ...overrides,
  };
  return { run, events };
}

describe('a run trained by replica threads', () => {
  it('two replicas train a run: replica 0 reports every step once, the loss falls, attention comes with it', async () => {
    const { run, events } = await options('two');
    const finished = await trainWithReplicas(run);
    expect(finished.reason ?? '').toBe('');
    expect(finished.status).toBe('completed');
    expect(finished.epochs).toBe(2);
    const progress = events.flatMap((e) => (e.type === 'progress' ? [e] : []));
    // 320 rows in batches of 16: 20 steps an epoch, each reported once, with the whole batch's samples.
    expect(progress.map((p) => p.globalStep)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(events.filter((e) => e.type === 'started')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'epoch')).toHaveLength(2);
    expect(events.some((e) => e.type === 'attention')).toBe(true);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const losses = progress.map((p) => p.loss);
    expect(mean(losses.slice(-5))).toBeLessThan(mean(losses.slice(0, 5)));
  });

  it('stops when asked, after the step under way', async () => {
    let steps = 0;
    const { run } = await options('stopped');
    const finished = await trainWithReplicas({
      ...run,
      emit: (event) => void (event.type === 'progress' && steps++),
      stopRequested: () => steps >= 3,
    });
    expect(finished.status).toBe('stopped');
  });

  it('a replica killed mid-epoch fails the run, naming it; the next run trains', async () => {
    let killed = false;
    let steps = 0;
    const { run } = await options('killed');
    const launched: ReturnType<typeof launchSourceWorker>[] = [];
    const finished = await trainWithReplicas({
      ...run,
      launch: (data) => {
        const worker = launchSourceWorker(data, REPLICA_SOURCE);
        launched.push(worker);
        return worker;
      },
      emit: (event) => {
        if (event.type !== 'progress' || killed || ++steps < 5) return;
        killed = true;
        void launched[1]!.terminate();
      },
    });
    expect(finished.status).toBe('failed');
    expect(finished.reason).toMatch(/replica 1 of 2 failed/);
    const next = await options('after');
    expect((await trainWithReplicas(next.run)).status).toBe('completed');
  });

  it('with batch norm (conv-attention-image), one replica and two both learn the built-in image set', async () => {
    const target = {
      datasetId: 'object-in-clutter',
      presetId: 'conv-attention-image',
      recipe: { epochs: 3, batchSize: 32, learningRate: 3e-3, maxTrainExamples: 960, dropout: 0 } as HyperParamsInput,
    };
    const accuracy: Record<number, number[]> = {};
    for (const replicas of [1, 2]) {
      const { run, events } = await options(`bn-${replicas}`, { replicas }, target);
      const finished = await trainWithReplicas(run);
      expect(finished.status, finished.reason).toBe('completed');
      accuracy[replicas] = events.flatMap((e) => (e.type === 'epoch' ? [(e as EpochEvent).valAccuracy] : []));
    }
    console.log(`object-in-clutter validation accuracy by epoch: 1 replica ${accuracy[1]}, 2 replicas ${accuracy[2]}`);
    // The validation pass normalises with the running statistics, averaged over the replicas: were they wrong
    // (one replica's, or never updated), accuracy in inference would stay near chance (1 in 4 classes).
    for (const replicas of [1, 2]) expect(accuracy[replicas]!.at(-1)!).toBeGreaterThan(0.5);
  });

  it('resumes from a checkpoint on another number of replicas, where the stopped run left off', async () => {
    const root = await mkdtemp(join(tmpdir(), 'replicas-resume-'));
    let epochs = 0;
    const first = await options('resumed', {}, undefined, root);
    const stopped = await trainWithReplicas({
      ...first.run,
      emit: (event) => void (event.type === 'epoch' && epochs++),
      stopRequested: () => epochs >= 1,
    });
    expect(stopped.status).toBe('stopped');
    const second = await options('resumed', { replicas: 3 }, undefined, root);
    const finished = await trainWithReplicas({ ...second.run, plan: { ...second.run.plan, resume: true } });
    expect(finished.status, finished.reason).toBe('completed');
    expect(finished.epochs).toBe(2);
    const started = second.events.find((e) => e.type === 'started') as StartedEvent;
    expect(started.resumedFrom).toEqual({ epoch: 1, globalStep: 20 });
    const steps = second.events.flatMap((e) => (e.type === 'progress' ? [(e as ProgressEvent).globalStep] : []));
    expect(steps).toEqual(Array.from({ length: 20 }, (_, i) => 21 + i));
  });

  it('a loss that turns NaN on two replicas fails the run, naming the step', async () => {
    const target = {
      datasetId: 'keyword-topics',
      presetId: 'transformer-text',
      recipe: { ...TEXT_RECIPE, optimizer: 'sgd', learningRate: 10, momentum: 0.99 } as HyperParamsInput,
    };
    const { run } = await options('nan', {}, target);
    const finished = await trainWithReplicas(run);
    expect(finished.status).toBe('failed');
    expect(finished.reason).toMatch(/the loss became (NaN|-?Infinity) at epoch \d+, step \d+: lower the learning rate/);
  });
});
