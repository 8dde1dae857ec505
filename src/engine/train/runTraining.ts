import type { BackendReport } from '../../shared/backends';
import type { FinishedEvent } from '../../shared/events';
import type { DatasetLibrary } from '../data/library/datasetLibrary';
import { exportModel } from '../modelFiles/exportModel';
import { prepareDataset } from '../data/prepareDataset';
import type { PreparedDataset } from '../data/preparedDataset';
import { evaluateRun } from './evaluateRun';
import type { RunPlan } from '../../shared/runPlan';
import { loadCheckpoint, saveCheckpoint } from './checkpoints';
import type { RunArtifacts } from './runArtifacts';
import { trainModel, type TrainingHooks, type TrainingOptions } from './trainModel';
import type { ReplicaOptions } from './trainingOptions';

export interface TrainingJob {
  plan: RunPlan;
  backend: BackendReport;
  datasets: DatasetLibrary;
  /** Where to write the trained model (TensorFlow.js layers format, with the vocabulary); none by default. */
  exportDir?: string;
  /** The run store's checkpoints and reports (main's RunArtifactFiles). None: no checkpoints. */
  artifacts?: RunArtifacts;
  /**
   * One replica of data-parallel training. Replica 0 writes the checkpoints, the final weights and the report; the
   * others only read the checkpoint a resumed run starts from.
   */
  replica?: ReplicaOptions;
}

/** The checkpoints a plan starts from: its own latest (resume) or another run's best (fine-tuning). */
async function startingPoints(job: TrainingJob) {
  const { plan, artifacts } = job;
  if ((plan.resume || plan.initFromRun) && !artifacts) throw new Error('no run store to read checkpoints from');
  // A damaged latest checkpoint falls back to the best one, and the started event says so.
  const resumeFrom = plan.resume ? await loadCheckpoint(artifacts!, plan.runId, ['latest', 'best']) : null;
  if (plan.resume && !resumeFrom) throw new Error(`run ${plan.runId} has no checkpoint to resume from`);
  const from = plan.initFromRun;
  const initialWeights = from ? await loadCheckpoint(artifacts!, from, ['best', 'latest']) : null;
  if (from && !initialWeights) throw new Error(`run ${from} has no checkpoint to start from`);
  return {
    ...(resumeFrom ? { resumeFrom } : {}),
    ...(initialWeights ? { initialWeights } : {}),
    ...(artifacts ? { artifacts } : {}),
  };
}

/**
 * The plan's dataset, split and tokenized as the plan says: the same rows and vocabulary each time, so that a
 * trained run can be asked about its own examples (and typed text is cut as its training text was).
 */
export async function prepareRunData(plan: RunPlan, datasets: DatasetLibrary): Promise<PreparedDataset> {
  const loaded = await datasets.load(plan.datasetId);
  return prepareDataset(loaded, plan.spec, {
    validationFraction: plan.hyperParams.validationFraction,
    testFraction: plan.hyperParams.testFraction,
    seed: plan.hyperParams.seed,
    useFileSplit: plan.hyperParams.useFileSplit,
    ...(plan.tokenizer ? { tokenizer: plan.tokenizer } : {}),
  });
}

export type MonitoringIntervals = Pick<TrainingOptions, 'attentionIntervalMs' | 'progressIntervalMs'>;

/**
 * One training run from its plan to the finished event: loads and prepares the data, trains. Whatever goes wrong
 * before training starts also ends as a 'failed' finished event naming the cause.
 */
export async function runTraining(
  job: TrainingJob,
  hooks: TrainingHooks,
  intervals: MonitoringIntervals = {},
): Promise<FinishedEvent> {
  const { plan } = job;
  try {
    const data = await prepareRunData(plan, job.datasets);
    const { artifacts, ...starting } = await startingPoints(job);
    // Only replica 0 (or the one process) writes: checkpoints, the final weights, the report, the export.
    const writer = (job.replica?.rank ?? 0) === 0;
    return await trainModel(
      {
        ...starting,
        ...(artifacts && writer ? { artifacts } : {}),
        ...(job.replica ? { replica: job.replica } : {}),
        runId: plan.runId,
        datasetId: plan.datasetId,
        presetId: plan.presetId,
        spec: plan.spec,
        hyperParams: plan.hyperParams,
        backend: job.backend,
        data,
        ...intervals,
        onTrained: async (model, _probe, position) => {
          if (!writer) return;
          // The trained model's weights, for the playground and `npm run predict` (restore-best already applied).
          if (job.artifacts) {
            await saveCheckpoint(job.artifacts, plan.runId, 'final', model, null, { ...position, valLoss: Number.NaN });
          }
          // The test report beside the run, for the Runs view's evaluation.
          if (job.artifacts && data.counts.test > 0) {
            await job.artifacts.writeEvaluation(plan.runId, await evaluateRun(model, data, plan.hyperParams.batchSize));
          }
          if (job.exportDir) await exportModel(model, job.exportDir, { spec: plan.spec, ...data.exportInfo });
        },
      },
      hooks,
    );
  } catch (error) {
    const finished: FinishedEvent = {
      type: 'finished',
      runId: plan.runId,
      status: 'failed',
      reason: error instanceof Error ? error.message : String(error),
      epochs: 0,
    };
    hooks.emit(finished);
    return finished;
  }
}
