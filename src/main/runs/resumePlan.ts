import { existsSync } from 'node:fs';
import { checkpointFile } from '../../shared/runLayout';
import type { RunPlan } from '../../shared/runPlan';
import { isResumable } from '../../shared/events';
import type { RunRecord } from '../../shared/runs';

/** The statuses a run can be resumed from: it ended before its last epoch, or the app closed under it. */

export function latestCheckpointExists(runsDir: string, runId: string): boolean {
  return existsSync(checkpointFile(runsDir, runId, 'latest'));
}

/**
 * The plan that resumes a stored run: its own spec, dataset, recipe and tokenizer, going on from its latest
 * checkpoint. Refused, saying why, for a run that is not stopped, failed or interrupted, or has no checkpoint.
 */
export function resumePlan(runsDir: string, run: RunRecord): RunPlan {
  if (!isResumable(run.status)) {
    throw new Error(`run ${run.id} is ${run.status}: only a stopped, failed or interrupted run can be resumed`);
  }
  if (!latestCheckpointExists(runsDir, run.id)) {
    throw new Error(`run ${run.id} has no checkpoint to resume from (it ended before its first epoch did)`);
  }
  return { ...storedRunPlan(run), resume: true };
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
