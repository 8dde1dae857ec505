import type { AttentionEvent } from '../../shared/events';
import type { RunPlan } from '../../shared/runPlan';
import type { DatasetLibrary } from '../data/library/datasetLibrary';
import { attentionSnapshots } from '../train/attentionSnapshot';
import { evaluateRun } from '../train/evaluateRun';
import type { RunArtifacts } from '../train/runArtifacts';
import { loadTrainedRun } from './trainedRun';

/**
 * What the workbench computes for a run trained elsewhere, from its weights, so that it is viewed as a local run is:
 * its test report (written beside it) and the attention snapshot of its last epoch (returned for the store).
 */
export async function importedRunReport(
  plan: RunPlan,
  artifacts: RunArtifacts,
  datasets: DatasetLibrary,
): Promise<AttentionEvent | null> {
  const run = await loadTrainedRun(plan, artifacts, datasets);
  try {
    if (run.data.counts.test > 0) {
      await artifacts.writeEvaluation(plan.runId, await evaluateRun(run.model, run.data, plan.hyperParams.batchSize));
    }
    const snapshots = attentionSnapshots(plan.runId, plan.spec, run.data, run.probe, run.attention, run.model);
    try {
      return await snapshots.read(run.weights.epoch, run.weights.globalStep, true);
    } finally {
      snapshots.dispose();
    }
  } finally {
    run.dispose();
  }
}
