import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { TrainingSupervisor } from '../../src/main/training/trainingSupervisor';
import type { TrainEvent, FinishedEvent } from '../../src/shared/events';
import { hyperParamsSchema } from '../../src/shared/hyperParams';
import { launchSourceWorker } from '../support/sourceWorker';

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

const request = (hyperParams: object) => ({
  datasetId: 'keyword-topics',
  presetId: 'transformer-text',
  hyperParams: hyperParamsSchema.parse(hyperParams),
});

describe('training worker protocol', () => {
  it('trains a run in a real worker, streaming its events, and stops another on request', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'cache-'));
    supervisor = new TrainingSupervisor(launchSourceWorker, { cacheDir, datasetsDir: join(cacheDir, 'datasets'), ...(process.env['WORKBENCH_BACKEND'] ? { backend: process.env['WORKBENCH_BACKEND'] } : {}) });
    const events: TrainEvent[] = [];
    const done = finishedOf(supervisor, 'run-1', (event) => events.push(event));
    supervisor.start('run-1', request({ epochs: 1, batchSize: 16, maxTrainExamples: 96 }));
    const finished = await done;
    expect(finished.reason).toBeUndefined();
    expect(finished).toMatchObject({ status: 'completed', epochs: 1 });
    expect(events[0]).toMatchObject({ type: 'started', backend: { name: supervisor.backend!.name } });
    expect(events.filter((e) => e.type === 'progress').length).toBeGreaterThan(0);
    expect(events.find((e) => e.type === 'epoch')).toMatchObject({ epoch: 1, valAccuracy: expect.any(Number) });
    const attention = events.find((e) => e.type === 'attention');
    expect(attention?.type === 'attention' && attention.layers[0]!.weights).toBeInstanceOf(Float32Array);

    let progressSeen = false;
    const stopped = finishedOf(supervisor, 'run-2', (event) => {
      if (event.type === 'progress' && !progressSeen) {
        progressSeen = true;
        expect(supervisor!.stop('run-2')).toBe(true);
      }
    });
    supervisor.start('run-2', request({ epochs: 50 }));
    expect(await stopped).toMatchObject({ status: 'stopped', reason: 'stopped by the user' });
    expect(supervisor.stop('run-2')).toBe(false);
  });

  it('fails the runs of a worker that dies, with the reason, and starts a new worker for the next run', async () => {
    let launches = 0;
    const crashing = () => {
      launches++;
      return new Worker("require('node:worker_threads').parentPort.on('message', () => process.exit(3))", { eval: true });
    };
    supervisor = new TrainingSupervisor(crashing, { cacheDir: tmpdir(), datasetsDir: tmpdir() });
    const first = finishedOf(supervisor, 'a');
    supervisor.start('a', request({}));
    expect(await first).toMatchObject({ status: 'failed', reason: 'the training worker exited with code 3' });
    const second = finishedOf(supervisor, 'b');
    supervisor.start('b', request({}));
    expect(await second).toMatchObject({ status: 'failed' });
    expect(launches).toBe(2);
  });
});
