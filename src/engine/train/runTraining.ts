import type { BackendReport } from '../../shared/backends';
import type { FinishedEvent } from '../../shared/events';
import type { TrainStartRequest } from '../../shared/ipc';
import { withImageShape } from '../../shared/spec/withImageShape';
import type { DatasetLibrary } from '../data/library/datasetLibrary';
import { exportModel } from '../io/exportModel';
import { prepareDataset } from '../data/prepareDataset';
import { resolveTrainingTarget } from '../../shared/runPlan';
import { trainModel, type TrainingHooks, type TrainingOptions } from './trainModel';

export interface TrainingJob {
  runId: string;
  request: TrainStartRequest;
  backend: BackendReport;
  datasets: DatasetLibrary;
  /** Where to write the trained model (TensorFlow.js layers format, with the vocabulary); none by default. */
  exportDir?: string;
}

export type MonitoringIntervals = Pick<TrainingOptions, 'attentionIntervalMs' | 'progressIntervalMs'>;

/**
 * One training run from request to finished event: resolves the spec and dataset, prepares the data, trains.
 * Whatever goes wrong before training starts also ends as a 'failed' finished event naming the cause.
 */
export async function runTraining(
  job: TrainingJob,
  hooks: TrainingHooks,
  intervals: MonitoringIntervals = {},
): Promise<FinishedEvent> {
  const { runId, request } = job;
  try {
    const target = resolveTrainingTarget(request, await job.datasets.summary(request.datasetId));
    const { dataset } = target;
    const loaded = await job.datasets.load(dataset.id);
    const spec = loaded.kind === 'image-classification' ? withImageShape(target.spec, loaded) : target.spec;
    const data = prepareDataset(loaded, spec, {
      validationFraction: request.hyperParams.validationFraction,
      testFraction: request.hyperParams.testFraction,
      seed: request.hyperParams.seed,
      useFileSplit: request.hyperParams.useFileSplit,
      ...(request.tokenizer ? { tokenizer: request.tokenizer } : {}),
    });
    return await trainModel(
      {
        runId,
        datasetId: dataset.id,
        presetId: target.presetId,
        spec,
        hyperParams: request.hyperParams,
        backend: job.backend,
        data,
        ...intervals,
        ...(job.exportDir
          ? {
              onTrained: (model) => exportModel(model, job.exportDir!, { spec, ...data.exportInfo }),
            }
          : {}),
      },
      hooks,
    );
  } catch (error) {
    const finished: FinishedEvent = {
      type: 'finished',
      runId,
      status: 'failed',
      reason: error instanceof Error ? error.message : String(error),
      epochs: 0,
    };
    hooks.emit(finished);
    return finished;
  }
}
