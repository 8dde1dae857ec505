import type { BackendReport } from '../../src/shared/backends';
import { hyperParamsSchema, type HyperParamsInput } from '../../src/shared/hyperParams';
import type { TrainingOptions } from '../../src/engine/train/trainModel';
import { smallTextTask } from './smallTextTask';

/** What a replica thread of the data-parallel test is given. */
export interface ReplicaTestData {
  rank: number;
  replicas: number;
  buffer: SharedArrayBuffer;
  length: number;
  hyperParams: HyperParamsInput;
}

/** A small Transformer on 600 keyword-topic texts: the same data, model and recipe in every thread that builds it. */
export function replicaTrainingOptions(backend: BackendReport, hyperParams: HyperParamsInput): TrainingOptions {
  const { spec, data } = smallTextTask(600);
  return {
    runId: 'replicas',
    datasetId: 'keyword-topics',
    presetId: 'transformer-text',
    spec,
    hyperParams: hyperParamsSchema.parse(hyperParams),
    backend,
    data,
    attentionIntervalMs: 1e9,
    progressIntervalMs: 0,
  };
}
