import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RunStore } from '../../src/main/runs/runStore';
import type { ProgressEvent } from '../../src/shared/events';
import type { DriverCommand, DriverReply } from '../support/runStoreDriver';
import { startStoreProcess, type StoreProcess } from '../support/storeProcess';

/**
 * A model test of the run store: random sequences of create, append, checkpoint, finish, resume, delete, kill -9
 * and restart (the start-up sweep), spread over two real processes, checked after every step against a simple
 * in-memory model of what must be on disk. It shows that every acknowledged record reads back exactly once, that
 * each run has at most one writer (every write by another process is refused while its owner lives), and that a
 * writer's death frees its runs without any app in between.
 */

const RUNS = ['r0', 'r1', 'r2'] as const;
type RunName = (typeof RUNS)[number];

type Step =
  | { op: 'create' | 'append' | 'checkpoint' | 'finish' | 'resume' | 'delete'; proc: 0 | 1; run: RunName }
  | { op: 'kill' | 'sweep'; proc: 0 | 1 };

interface ModelRun {
  status: 'running' | 'queued' | 'completed' | 'interrupted';
  records: number[];
  /** The process generation that holds the run ("0:2": process 0 after two restarts); null when none does. */
  owner: string | null;
  checkpoint: number | null;
}

// Each op as often as it is listed: enough kills (1 step in 7) that runs often die with their writer.
const OPS = [
  ...['create', 'create', 'append', 'append', 'append', 'checkpoint', 'checkpoint', 'finish'],
  ...['resume', 'resume', 'resume', 'delete', 'kill', 'kill', 'sweep'],
] as const;
const stepArbitrary: fc.Arbitrary<Step> = fc
  .record({ op: fc.constantFrom(...OPS), proc: fc.constantFrom(0 as const, 1 as const), run: fc.constantFrom(...RUNS) })
  .map((step) => (step.op === 'kill' || step.op === 'sweep' ? { op: step.op, proc: step.proc } : step) as Step);

class Model {
  readonly runs = new Map<RunName, ModelRun>();
  readonly generation = [0, 0];
  private nextCheckpoint = 1;

  me(proc: number): string {
    return `${proc}:${this.generation[proc]}`;
  }

  alive(owner: string | null): boolean {
    if (owner === null) return false;
    const [proc, generation] = owner.split(':').map(Number);
    return this.generation[proc!] === generation;
  }

  /** What the step must answer (ok, or refused and whether for a lock), and the state after it. */
  apply(step: Exclude<Step, { op: 'kill' | 'sweep' }>): { ok: boolean; locked: boolean } {
    const run = this.runs.get(step.run);
    const mine = run?.owner === this.me(step.proc) && this.alive(run.owner);
    switch (step.op) {
      case 'create':
        this.runs.set(step.run, { status: 'running', records: [], owner: this.me(step.proc), checkpoint: null });
        return { ok: true, locked: false };
      case 'append':
        if (!mine) return { ok: false, locked: false };
        run!.records.push(run!.records.length + 1);
        return { ok: true, locked: false };
      case 'checkpoint':
        if (!mine) return { ok: false, locked: false };
        run!.checkpoint = this.nextCheckpoint++;
        return { ok: true, locked: false };
      case 'finish':
        if (!mine) return { ok: false, locked: false };
        run!.status = 'completed';
        run!.owner = null;
        return { ok: true, locked: false };
      case 'resume':
        if (!run) return { ok: false, locked: false };
        if (this.alive(run.owner)) return { ok: false, locked: true };
        run.owner = null;
        if (run.status === 'running' || run.status === 'queued') run.status = 'interrupted';
        if (run.status === 'completed' || run.checkpoint === null) return { ok: false, locked: false };
        run.status = 'queued';
        run.owner = this.me(step.proc);
        return { ok: true, locked: false };
      case 'delete':
        if (!run) return { ok: true, locked: false };
        if (this.alive(run.owner)) return { ok: false, locked: true };
        this.runs.delete(step.run);
        return { ok: true, locked: false };
    }
  }

  kill(proc: number): void {
    this.generation[proc]!++;
  }

  /** The start-up sweep: a live-status run that no live process holds is interrupted, and its lock cleared. */
  sweep(): void {
    for (const run of this.runs.values()) {
      if (this.alive(run.owner)) continue;
      if (run.status === 'running' || run.status === 'queued') {
        run.status = 'interrupted';
        run.owner = null;
      }
    }
  }
}

/** Reads the store as a third process would and compares it with the model. */
async function expectStoreMatches(root: string, model: Model, processes: StoreProcess[]): Promise<void> {
  const store = new RunStore(root);
  const { runs, damaged } = await store.scan();
  expect(damaged).toEqual([]);
  expect(runs.map((run) => run.id).sort()).toEqual([...model.runs.keys()].sort());
  for (const [name, expected] of model.runs) {
    const { run, events } = await store.get(name);
    expect(run.status, name).toBe(expected.status);
    // Every acknowledged record reads back once, in order: none lost, none written twice.
    expect(events.map((event) => (event as ProgressEvent).step)).toEqual(expected.records);
    const latest = (await store.checkpoints(name)).find((c) => c.slot === 'latest');
    expect(latest?.epoch ?? null, `${name}'s checkpoint`).toBe(expected.checkpoint);
    // The lock names the live owner; a dead owner's lock may stay until someone takes the run over.
    const lock = await readFile(join(root, name, 'writer.lock'), 'utf8').then(
      (text) => JSON.parse(text) as { pid: number },
      () => null,
    );
    if (model.alive(expected.owner)) {
      const proc = Number(expected.owner!.split(':')[0]);
      expect(lock?.pid, `${name}'s lock`).toBe(processes[proc]!.pid);
    } else if (lock) {
      expect(
        processes.map((p) => p.pid),
        `${name}'s stale lock`,
      ).not.toContain(lock.pid);
    }
  }
}

describe('the run store as a model', () => {
  it('random create/append/checkpoint/finish/resume/delete/kill/restart over two processes match the model', async () => {
    let steps = 0;
    let kills = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(stepArbitrary, { minLength: 1, maxLength: 24 }), async (sequence) => {
        const root = await mkdtemp(join(tmpdir(), 'runs-model-'));
        const processes = await Promise.all([startStoreProcess(root), startStoreProcess(root)]);
        const model = new Model();
        try {
          for (const step of sequence) {
            if (step.op === 'kill') {
              await processes[step.proc]!.kill();
              processes[step.proc] = await startStoreProcess(root);
              model.kill(step.proc);
              kills++;
            } else if (step.op === 'sweep') {
              expect(await processes[step.proc]!.send({ op: 'sweep' })).toEqual({ ok: true });
              model.sweep();
            } else {
              const action = step as Exclude<Step, { op: 'kill' | 'sweep' }>;
              // A run is created once: ids are new in the app and the CLI.
              if (action.op === 'create' && model.runs.has(action.run)) continue;
              const command = (
                action.op === 'append'
                  ? { op: 'append', runId: action.run, step: (model.runs.get(action.run)?.records.length ?? 0) + 1 }
                  : action.op === 'checkpoint'
                    ? { op: 'checkpoint', runId: action.run, epoch: 0 }
                    : { op: action.op, runId: action.run }
              ) as DriverCommand;
              const expected = model.apply(action);
              if (command.op === 'checkpoint' && expected.ok) command.epoch = model.runs.get(action.run)!.checkpoint!;
              const reply: DriverReply = await processes[action.proc]!.send(command);
              expect(
                reply.ok ? { ok: true, locked: false } : { ok: false, locked: reply.locked },
                `${JSON.stringify(action)}: ${reply.ok ? 'ok' : reply.error}`,
              ).toEqual(expected);
            }
            steps++;
            await expectStoreMatches(root, model, processes);
          }
        } finally {
          await Promise.all(processes.map((p) => p.kill()));
        }
      }),
      { numRuns: 16, seed: Number(process.env['MODEL_SEED'] ?? 20261204) },
    );
    console.log(`run store model: ${steps} steps checked, ${kills} processes killed -9`);
  }, 300_000);
});
