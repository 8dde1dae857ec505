import type { BackendReport } from '../../shared/backends';
import type { FinishedEvent } from '../../shared/events';
import type { DatasetLibrary } from '../data/library/datasetLibrary';
import { exportModel } from '../io/exportModel';
import { prepareDataset } from '../data/prepareDataset';
import type { RunPlan } from '../../shared/runPlan';
import { trainModel, type TrainingHooks, type TrainingOptions } from './trainModel';

export interface TrainingJob {
  plan: RunPlan;
  backend: BackendReport;
  datasets: DatasetLibrary;
  /** Where to write the trained model (TensorFlow.js layers format, with the vocabulary); none by default. */
  exportDir?: string;
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
    const loaded = await job.datasets.load(plan.datasetId);
    const data = prepareDataset(loaded, plan.spec, {
      validationFraction: plan.hyperParams.validationFraction,
      testFraction: plan.hyperParams.testFraction,
      seed: plan.hyperParams.seed,
      useFileSplit: plan.hyperParams.useFileSplit,
      ...(plan.tokenizer ? { tokenizer: plan.tokenizer } : {}),
    });
    return await trainModel(
      {
        runId: plan.runId,
        datasetId: plan.datasetId,
        presetId: plan.presetId,
        spec: plan.spec,
        hyperParams: plan.hyperParams,
        backend: job.backend,
        data,
        ...intervals,
        ...(job.exportDir
          ? { onTrained: (model) => exportModel(model, job.exportDir!, { spec: plan.spec, ...data.exportInfo }) }
          : {}),
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
