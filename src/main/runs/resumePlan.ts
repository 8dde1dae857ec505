import type { RunPlan } from '../../shared/runPlan';
import { isResumable } from '../../shared/events';
import type { RunRecord } from '../../shared/runs';
import type { CheckpointSlot } from '../../shared/runLayout';
import type { RunStore } from './runStore';

/**
 * Whether the run has a whole checkpoint in one of `slots` (the index read and checked against its tensors' size).
 * Throws, naming what is wrong, when it has checkpoints there but all are damaged.
 */
export async function hasCheckpoint(store: RunStore, runId: string, slots: readonly CheckpointSlot[]) {
  const files = store.artifacts.checkpointFiles(runId);
  const damaged: string[] = [];
  for (const slot of slots) {
    const found = await files.inspect(slot);
    if (found.state === 'ok') return true;
    if (found.state === 'damaged') damaged.push(`its ${slot} checkpoint is damaged: ${found.reason}`);
  }
  if (damaged.length) throw new Error(`run ${runId} cannot go on: ${damaged.join('; ')}`);
  return false;
}

/**
 * Takes a stored run's lock and plans its resume: its own spec, dataset, recipe and tokenizer, going on from its
 * latest whole checkpoint (or its best, when the latest is damaged). Refused, saying why, while another writer holds
 * the run, for a run that completed, or one with no whole checkpoint; the lock is then given back. A run that says
 * it is running but whose lock nobody held was orphaned by a crash (kill -9): it is resumed as interrupted. On
 * success the caller holds the lock until the run ends, and run.json says queued.
 */
export async function claimResume(store: RunStore, runId: string): Promise<RunPlan> {
  await store.claim(runId, 'resume');
  try {
    const run = await store.markInterrupted(await store.record(runId));
    if (!isResumable(run.status)) {
      throw new Error(`run ${runId} is ${run.status}: only a stopped, failed or interrupted run can be resumed`);
    }
    if (!(await hasCheckpoint(store, runId, ['latest', 'best']))) {
      throw new Error(`run ${runId} has no checkpoint to resume from (it ended before its first epoch did)`);
    }
    await store.update(runId, { status: 'queued' });
    return { ...storedRunPlan(run), resume: true };
  } catch (error) {
    await store.release(runId);
    throw error;
  }
}

/** The plan a stored run was trained by: what it takes to rebuild its data and model (the playground's too). */
export function storedRunPlan(run: RunRecord): RunPlan {
  return {
    runId: run.id,
    datasetId: run.datasetId,
    presetId: run.presetId,
    spec: run.spec,
    hyperParams: run.hyperParams,
    ...(run.tokenizer ? { tokenizer: run.tokenizer } : {}),
  };
}
