import { randomBytes } from 'node:crypto';
import type { TrainEvent } from '../../shared/events';
import type { RunPlan } from '../../shared/runPlan';
import type { RunRecord } from '../../shared/runs';
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
 * app and the CLI both record runs this way, into the same store, so that every run shows in the Runs view.
 */
export class RunRecorder {
  /** The best validation loss of each run seen so far, to update run.json only when an epoch beats it. */
  private readonly best = new Map<string, number>();

  constructor(private readonly store: RunStore) {}

  async record(event: TrainEvent): Promise<void> {
    const writes = [this.store.append(event.runId, event)];
    const now = new Date().toISOString();
    if (event.type === 'started') {
      writes.push(
        this.store.update(event.runId, {
          status: 'running',
          startedAt: now,
          backend: event.backend,
          parameterCount: event.parameterCount,
        }),
      );
    } else if (event.type === 'epoch' && event.valLoss < (this.best.get(event.runId) ?? Infinity)) {
      this.best.set(event.runId, event.valLoss);
      const best: RunRecord['best'] = { epoch: event.epoch, valLoss: event.valLoss, valAccuracy: event.valAccuracy };
      writes.push(this.store.update(event.runId, { best }));
    } else if (event.type === 'paused') {
      writes.push(this.store.update(event.runId, { status: event.paused ? 'paused' : 'running' }));
    } else if (event.type === 'finished') {
      this.best.delete(event.runId);
      writes.push(
        this.store.update(event.runId, {
          status: event.status,
          finishedAt: now,
          ...(event.reason ? { reason: event.reason } : {}),
          ...(event.test ? { test: event.test } : {}),
        }),
      );
    }
    await Promise.all(writes);
  }
}
