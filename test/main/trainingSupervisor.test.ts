import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { TrainingSupervisor } from '../../src/main/training/trainingSupervisor';
import type { TrainEvent, FinishedEvent } from '../../src/shared/events';
import { hyperParamsSchema } from '../../src/shared/hyperParams';
import { launchSourceWorker } from '../support/sourceWorker';
import { planRun } from '../../src/shared/runPlan';
import { findDataset } from '../../src/engine/data/builtin/catalog';

let supervisor: TrainingSupervisor | null = null;
afterEach(async () => {
  await supervisor?.close();
  supervisor = null;
});

function finishedOf(target: TrainingSupervisor, runId: string, onEvent: (e: TrainEvent) => void = () => undefined) {
  return new Promise<FinishedEvent>((resolve) =>
    target.onEvent((event) => {
      if (event.runId !== runId) return;
      onEvent(event);
      if (event.type === 'finished') resolve(event);
    }),
  );
}

const plan = (runId: string, hyperParams: object = {}) =>
  planRun(
    runId,
    { datasetId: 'keyword-topics', presetId: 'transformer-text', hyperParams: hyperParamsSchema.parse(hyperParams) },
    findDataset('keyword-topics'),
  );

describe('training worker protocol', () => {
  it('trains a run in a real worker, streaming its events, and stops another on request', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'cache-'));
    supervisor = new TrainingSupervisor(launchSourceWorker, {
      cacheDir,
      datasetsDir: join(cacheDir, 'datasets'),
      ...(process.env['WORKBENCH_BACKEND'] ? { backend: process.env['WORKBENCH_BACKEND'] } : {}),
    });
    const events: TrainEvent[] = [];
    const done = finishedOf(supervisor, 'run-1', (event) => events.push(event));
    supervisor.start(plan('run-1', { epochs: 1, batchSize: 16, maxTrainExamples: 96 }));
    const finished = await done;
    expect(finished.reason).toBeUndefined();
    expect(finished).toMatchObject({ status: 'completed', epochs: 1 });
    expect(events[0]).toMatchObject({ type: 'started', backend: { name: supervisor.backend!.name } });
    expect(events.filter((e) => e.type === 'progress').length).toBeGreaterThan(0);
    expect(events.find((e) => e.type === 'epoch')).toMatchObject({ epoch: 1, valAccuracy: expect.any(Number) });
    const attention = events.find((e) => e.type === 'attention');
    expect(attention?.type === 'attention' && attention.layers[0]!.weights).toBeInstanceOf(Float32Array);

    // run-2: paused at its first progress event, resumed after a quiet spell, stopped at the next progress event.
    const progress: number[] = [];
    let resumed = false;
    let resumedAt = Infinity;
    const stopped = finishedOf(supervisor, 'run-2', (event) => {
      if (event.type !== 'progress') return;
      progress.push(performance.now());
      if (progress.length === 1) {
        expect(supervisor!.setPaused('run-2', true)).toBe(true);
        setTimeout(() => {
          resumed = true;
          resumedAt = performance.now();
          expect(supervisor!.setPaused('run-2', false)).toBe(true);
        }, 1500);
      } else if (resumed) {
        expect(supervisor!.stop('run-2')).toBe(true);
      }
    });
    supervisor.start(plan('run-2', { epochs: 50 }));
    expect(await stopped).toMatchObject({ status: 'stopped', reason: 'stopped by the user' });
    // Paused, the worker trained no step: at most the window already under way reported before the pause took hold
    // (however slow a step is on a loaded machine), nothing else until the resume.
    const duringPause = progress.filter((at) => at > progress[0]! && at < resumedAt);
    expect(duringPause.length).toBeLessThanOrEqual(1);
    expect(supervisor.setPaused('run-2', true)).toBe(false);
    expect(supervisor.stop('run-2')).toBe(false);
  });

  it('fails the runs of a worker that dies, with the reason, and starts a new worker for the next run', async () => {
    let launches = 0;
    const crashing = () => {
      launches++;
      return new Worker("require('node:worker_threads').parentPort.on('message', () => process.exit(3))", {
        eval: true,
      });
    };
    supervisor = new TrainingSupervisor(crashing, { cacheDir: tmpdir(), datasetsDir: tmpdir() });
    const first = finishedOf(supervisor, 'a');
    supervisor.start(plan('a', {}));
    expect(await first).toMatchObject({ status: 'failed', reason: 'the training worker exited with code 3' });
    const second = finishedOf(supervisor, 'b');
    supervisor.start(plan('b', {}));
    expect(await second).toMatchObject({ status: 'failed' });
    expect(launches).toBe(2);
  });

  it('answers questions to a trained run while the next trains; a dying worker fails the questions it held', async () => {
    const root = await mkdtemp(join(tmpdir(), 'predict-worker-'));
    supervisor = new TrainingSupervisor(launchSourceWorker, {
      cacheDir: join(root, 'cache'),
      datasetsDir: join(root, 'datasets'),
      runsDir: join(root, 'runs'),
      ...(process.env['WORKBENCH_BACKEND'] ? { backend: process.env['WORKBENCH_BACKEND'] } : {}),
    });
    const trained = plan('trained', { epochs: 1, batchSize: 16, maxTrainExamples: 96 });
    const done = finishedOf(supervisor, 'trained');
    supervisor.start(trained);
    expect(await done).toMatchObject({ status: 'completed' });
    // A second run trains (slowly) while the first is asked about a validation row, then about typed text.
    const second = finishedOf(supervisor, 'second');
    supervisor.start(plan('second', { epochs: 1, batchSize: 8, maxTrainExamples: 400 }));
    const sample = await supervisor.predict(trained, { kind: 'sample', split: 'validation', row: 2 }, 4, 0.6);
    expect(sample.weights.slot).toBe('final');
    expect(sample.attention.layers[0]!.weights).toBeInstanceOf(Float32Array);
    expect(sample.probabilities.reduce((a, p) => a + p.probability, 0)).toBeCloseTo(1, 5);
    const typed = await supervisor.predict(trained, { kind: 'text', text: 'the match ended in a goal' }, 4, 0.6);
    expect(typed.attention.tokens.length).toBeGreaterThan(0);
    await expect(
      supervisor.predict({ ...trained, runId: 'missing' }, { kind: 'text', text: 'x' }, 4, 0.6),
    ).rejects.toThrow('run missing has no saved weights');
    supervisor.stop('second');
    expect(await second).toMatchObject({ status: 'stopped' });

    // A worker that dies with questions pending: each fails with the reason; at most 8 wait at once.
    await supervisor.close();
    supervisor = new TrainingSupervisor(
      () =>
        new Worker(
          "require('node:worker_threads').parentPort.on('message', () => setTimeout(() => process.exit(5), 200))",
          { eval: true },
        ),
      { cacheDir: root, datasetsDir: root },
    );
    const pending = Array.from({ length: 9 }, () =>
      supervisor!.predict(trained, { kind: 'text', text: 'x' }, 1, 0).then(
        () => 'answered',
        (error: Error) => error.message,
      ),
    );
    const reasons = await Promise.all(pending);
    expect(reasons.slice(0, 8)).toEqual(Array(8).fill('the training worker exited with code 5'));
    expect(reasons[8]).toMatch(/8 questions are already waiting/);
  }, 120_000);

  it('keeps the queue in main: a queued run is removed at once, and the next starts when the first finishes', async () => {
    const launches: number[] = [];
    supervisor = new TrainingSupervisor(() => (launches.push(1), scriptedWorker()), {
      cacheDir: tmpdir(),
      datasetsDir: tmpdir(),
    });
    const order: string[] = [];
    supervisor.onEvent((event) => order.push(`${event.type}:${event.runId}`));
    const a = finishedOf(supervisor, 'a');
    const b = finishedOf(supervisor, 'b');
    supervisor.start(plan('a', {}));
    supervisor.start(plan('b', {}));
    supervisor.start(plan('c', {}));
    expect(supervisor.isActive('c')).toBe(true);
    expect(supervisor.stop('c')).toBe(true);
    // Removed at once, without waiting for the runs before it.
    expect(order).toEqual(['finished:c']);
    expect(supervisor.isActive('c')).toBe(false);
    expect(supervisor.stop('c')).toBe(false);
    expect(await a).toMatchObject({ status: 'completed' });
    expect(await b).toMatchObject({ status: 'completed' });
    expect(order).toEqual(['finished:c', 'started:a', 'finished:a', 'started:b', 'finished:b']);
    expect(launches).toHaveLength(1);
  });

  it('lets a queued run move up or down the queue before it starts', async () => {
    supervisor = new TrainingSupervisor(() => scriptedWorker(), { cacheDir: tmpdir(), datasetsDir: tmpdir() });
    const started: string[] = [];
    supervisor.onEvent((event) => event.type === 'started' && started.push(event.runId));
    const last = finishedOf(supervisor, 'b');
    for (const id of ['a', 'b', 'c']) supervisor.start(plan(id));
    expect(supervisor.queued()).toEqual(['b', 'c']);
    expect(supervisor.move('c', -1)).toBe(true);
    expect(supervisor.move('c', -1)).toBe(false); // already next
    expect(supervisor.move('a', 1)).toBe(false); // running, not queued
    expect(supervisor.queued()).toEqual(['c', 'b']);
    await last;
    expect(started).toEqual(['a', 'c', 'b']);
  });

  it('replaces a worker whose backend broke: the run fails saying so, the next run trains on a new worker', async () => {
    let launches = 0;
    supervisor = new TrainingSupervisor(() => scriptedWorker(++launches), {
      cacheDir: tmpdir(),
      datasetsDir: tmpdir(),
    });
    const poisoned = finishedOf(supervisor, 'poison-1');
    const next = finishedOf(supervisor, 'after');
    supervisor.start(plan('poison-1', {}));
    supervisor.start(plan('after', {}));
    expect(await poisoned).toMatchObject({
      status: 'failed',
      reason: 'Aborted(); the wasm backend was left broken, so the training worker was restarted',
    });
    expect(await next).toMatchObject({ status: 'completed', reason: 'worker 2' });
    expect(launches).toBe(2);
    expect(supervisor.notice).toBe('the wasm backend failed (Aborted()); the training worker was restarted');
  });
});

/**
 * A worker that speaks the protocol without TensorFlow: ready on wasm; each run starts, then finishes 50 ms later,
 * naming which worker (the number it was launched with) ran it; a run whose id starts with "poison" fails as an aborted
 * wasm run does, reporting its backend lost first.
 */
function scriptedWorker(number = 1): Worker {
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    parentPort.postMessage({ type: 'ready', backend: { name: 'wasm', skipped: [] } });
    parentPort.on('message', (message) => {
      if (message.type !== 'start') return;
      const runId = message.plan.runId;
      parentPort.postMessage({ type: 'event', event: { type: 'started', runId } });
      setTimeout(() => {
        if (runId.startsWith('poison')) {
          parentPort.postMessage({ type: 'backend-lost', runId, message: 'Aborted()' });
          parentPort.postMessage({ type: 'event', event: { type: 'finished', runId, status: 'failed', reason: 'Aborted()', epochs: 0 } });
        } else {
          parentPort.postMessage({ type: 'event', event: { type: 'finished', runId, status: 'completed', reason: 'worker ' + workerData.number, epochs: 1 } });
        }
      }, 50);
    });`;
  return new Worker(source, { eval: true, workerData: { number } });
}
