import { randomBytes } from 'node:crypto';
import type { TrainEvent } from '../../shared/events';
import type { RunPlan } from '../../shared/runPlan';
import type { RunRecord } from '../../shared/runs';
import { isDiskFault } from './diskFault';
import type { RunStore } from './runStore';

/** A run's id: its start time to the second, then 6 random hex digits (sortable, unique, safe as a folder name). */
export function newRunId(now = new Date()): string {
  return `${now.toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${randomBytes(3).toString('hex')}`;
}

/** The run.json of a new run, queued, as its plan says: what the app's Train button and the CLI both write. */
export function queuedRecord(plan: RunPlan, now: Date, origin: 'app' | 'cli'): RunRecord {
  return {
    id: plan.runId,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    status: 'queued',
    origin,
    datasetId: plan.datasetId,
    presetId: plan.presetId,
    spec: plan.spec,
    hyperParams: plan.hyperParams,
    ...(plan.tokenizer ? { tokenizer: plan.tokenizer } : {}),
    ...(plan.initFromRun ? { initFromRun: plan.initFromRun } : {}),
  };
}

/**
 * Writes each event to its run's log and the run.json change it implies (started, a better epoch, finished). The
 * app and the CLI both record runs this way, into the same store, so that every run shows in the Runs view. It
 * never throws: a write that fails is reported, and one that fails for the disk's sake (full, failing) stops the
 * run through `stopRun`, so that it ends failed with that reason and stays resumable from its last whole
 * checkpoint. When a run's finished event is written, its lock is given back.
 */
export class RunRecorder {
  /** The best validation loss of each run seen so far, to update run.json only when an epoch beats it. */
  private readonly best = new Map<string, number>();
  /** Runs whose records hit a full disk or an I/O error: why, for their finished event. */
  private readonly diskFaults = new Map<string, string>();

  constructor(
    private readonly store: RunStore,
    private readonly stopRun: (runId: string) => void,
  ) {}

  /** Records the event; returns it as recorded (a run stopped by a disk fault ends failed, saying so). */
  async record(event: TrainEvent): Promise<TrainEvent> {
    const fault = this.diskFaults.get(event.runId);
    if (fault && event.type === 'finished') event = { ...event, status: 'failed', reason: fault };
    try {
      await this.write(event);
    } catch (error) {
      console.error(`[run store] could not record ${event.type} of run ${event.runId}:`, error);
      if (isDiskFault(error) && !fault && event.type !== 'finished') {
        this.diskFaults.set(event.runId, `the run store could not write: ${(error as Error).message}`);
        this.stopRun(event.runId);
      }
    }
    if (event.type === 'finished') {
      this.diskFaults.delete(event.runId);
      this.best.delete(event.runId);
      await this.store.release(event.runId).catch((error: unknown) => {
        console.error(`[run store] could not release run ${event.runId}:`, error);
      });
    }
    return event;
  }

  private async write(event: TrainEvent): Promise<void> {
    const writes = [this.store.append(event.runId, event)];
    const now = new Date().toISOString();
    if (event.type === 'started') {
      writes.push(
        this.store.update(event.runId, {
          status: 'running',
          startedAt: now,
          backend: event.backend,
          parameterCount: event.parameterCount,
          // The recipe as trained: a resume may run on another number of replicas than the run began with.
          hyperParams: event.hyperParams,
        }),
      );
    } else if (event.type === 'epoch' && event.valLoss < (this.best.get(event.runId) ?? Infinity)) {
      this.best.set(event.runId, event.valLoss);
      const best: RunRecord['best'] = { epoch: event.epoch, valLoss: event.valLoss, valAccuracy: event.valAccuracy };
      writes.push(this.store.update(event.runId, { best }));
    } else if (event.type === 'paused') {
      writes.push(this.store.update(event.runId, { status: event.paused ? 'paused' : 'running' }));
    } else if (event.type === 'finished') {
      writes.push(
        this.store.update(event.runId, {
          status: event.status,
          finishedAt: now,
          ...(event.reason ? { reason: event.reason } : {}),
          ...(event.test ? { test: event.test } : {}),
        }),
      );
    }
    // Every write settles before the outcome is known: none is left running unawaited.
    const results = await Promise.allSettled(writes);
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  }
}
