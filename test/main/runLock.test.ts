import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetLibrary } from '../../src/engine/data/library/datasetLibrary';
import { RunStore } from '../../src/main/runs/runStore';
import { TrainingService } from '../../src/main/services/trainingService';
import { parseMetricsLog } from '../../src/main/runs/metricsLog';
import { fakeSupervisor } from '../support/fakeSupervisor';
import { playedProcess } from '../support/playedProcess';
import { startStoreProcess } from '../support/storeProcess';
import { runRecord } from '../support/runRecords';

const builtinOnly = new DatasetLibrary({ cacheDir: tmpdir(), datasetsDir: join(tmpdir(), 'no-imported-datasets') });
const HELD_BY_CLI = (runId: string, pid: number) =>
  new RegExp(`^run ${runId} is being (trained|resumed) by npm run train \\(pid ${pid}, since [0-9T:.Z-]+\\)$`);

describe('one writer per run, across processes', () => {
  it('the app leaves a run a live CLI trains alone, refuses to resume or delete it, and takes it once the CLI died', async () => {
    const root = await mkdtemp(join(tmpdir(), 'runs-'));
    const cli = await startStoreProcess(root);
    expect(await cli.send({ op: 'create', runId: 'r1' })).toEqual({ ok: true });
    expect(await cli.send({ op: 'append', runId: 'r1', step: 1 })).toEqual({ ok: true });
    expect(await cli.send({ op: 'checkpoint', runId: 'r1', epoch: 1 })).toEqual({ ok: true });

    // The app starts while the CLI trains: its start-up sweep must not call the run interrupted.
    const store = new RunStore(root);
    const app = new TrainingService(fakeSupervisor().supervisor, store, () => undefined, builtinOnly);
    await app.recoverInterrupted();
    expect((await store.record('r1')).status).toBe('running');
    await expect(app.resume('r1')).rejects.toThrow(HELD_BY_CLI('r1', cli.pid));
    await expect(store.remove('r1')).rejects.toThrow(HELD_BY_CLI('r1', cli.pid));
    await expect(store.update('r1', { name: 'renamed' })).rejects.toThrow(HELD_BY_CLI('r1', cli.pid));

    // kill -9: the lock is left behind, and found stale without any app start in between.
    await cli.kill();
    const resumer = fakeSupervisor();
    await new TrainingService(resumer.supervisor, new RunStore(root), () => undefined, builtinOnly).resume('r1');
    expect(resumer.plans).toEqual([expect.objectContaining({ runId: 'r1', resume: true })]);
    const record = JSON.parse(await readFile(join(root, 'r1', 'run.json'), 'utf8'));
    expect(record.status).toBe('queued');
    const owner = JSON.parse(await readFile(join(root, 'r1', 'writer.lock'), 'utf8'));
    expect(owner).toMatchObject({ pid: process.pid, holder: 'app', purpose: 'resume' });
    // Nothing was written twice: the log holds the one record the CLI wrote.
    const log = parseMetricsLog(await readFile(join(root, 'r1', 'metrics.log'), 'utf8'));
    expect(log.records).toHaveLength(1);
  }, 30_000);

  it('two resumes of one run at once: one queues it, the other is refused naming the first', async () => {
    const root = await mkdtemp(join(tmpdir(), 'runs-'));
    const crashed = new RunStore(root, { identity: playedProcess(1) });
    await crashed.create(runRecord('r1', { status: 'failed' }));
    await crashed.artifacts.saveCheckpoint(
      'r1',
      'latest',
      { format: 1, epoch: 1, globalStep: 1, valLoss: 1, weights: [], optimizer: [] },
      [],
    );
    const fake = fakeSupervisor();
    const app = new TrainingService(fake.supervisor, new RunStore(root), () => undefined, builtinOnly);
    const outcomes = await Promise.allSettled([app.resume('r1'), app.resume('r1')]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(String(refused.reason)).toMatch(/^Error: run r1 is being resumed by the app \(pid \d+, since /);
    expect(fake.plans).toHaveLength(1);
    // The same between two processes: the second command is refused while the app holds the run.
    const cli = await startStoreProcess(root);
    expect(await cli.send({ op: 'resume', runId: 'r1' })).toEqual({
      ok: false,
      locked: true,
      error: expect.stringMatching(/^run r1 is being resumed by the app \(pid \d+, since /),
    });
    await cli.kill();
  }, 30_000);

  it('processes racing to take over one stale lock: exactly one wins each time', async () => {
    const root = await mkdtemp(join(tmpdir(), 'runs-'));
    const racers = await Promise.all([1, 2, 3].map(() => startStoreProcess(root)));
    for (let round = 0; round < 5; round++) {
      const runId = `r${round}`;
      const dead = new RunStore(root, { identity: playedProcess(round) });
      await dead.create(runRecord(runId, { status: 'running' }));
      await dead.artifacts.saveCheckpoint(
        runId,
        'latest',
        { format: 1, epoch: 1, globalStep: 1, valLoss: 1, weights: [], optimizer: [] },
        [],
      );
      // The writer died holding the run: all three find its lock stale at once, and race to resume it.
      const replies = await Promise.all(racers.map((racer) => racer.send({ op: 'resume', runId })));
      const winners = racers.filter((_, i) => replies[i]!.ok);
      expect(winners).toHaveLength(1);
      for (const reply of replies.filter((r) => !r.ok))
        expect(reply, JSON.stringify(reply)).toMatchObject({ ok: false, locked: true });
      const owner = JSON.parse(await readFile(join(root, runId, 'writer.lock'), 'utf8'));
      expect(owner).toMatchObject({ pid: winners[0]!.pid, purpose: 'resume' });
    }
    await Promise.all(racers.map((racer) => racer.kill()));
  }, 60_000);
});
