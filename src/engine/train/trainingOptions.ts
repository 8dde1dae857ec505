import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { BackendReport } from '../../shared/backends';
import type { TrainEvent } from '../../shared/events';
import type { HyperParams } from '../../shared/hyperParams';
import type { ModelSpec } from '../../shared/architecture/modelSpec';
import type { PreparedDataset } from '../data/preparedDataset';
import type { AttentionLayerInfo } from '../models/buildModel';
import type { LoadedCheckpoint } from './checkpoints';
import type { RunArtifacts } from './runArtifacts';
import type { GradientExchange } from '../parallel/gradientExchange';

export interface ReplicaOptions {
  rank: number;
  replicas: number;
  connect(length: number): Promise<GradientExchange>;
}

export interface TrainingOptions {
  runId: string;
  datasetId: string;
  presetId: string | null;
  spec: ModelSpec;
  hyperParams: HyperParams;
  backend: BackendReport;
  data: PreparedDataset;
  /** Least time between two attention snapshots: monitoring must cost the training little. Defaults to 1000 ms. */
  attentionIntervalMs?: number;
  /** Least time between two progress events. Defaults to 200 ms. */
  progressIntervalMs?: number;
  /** Where the run's checkpoints go (checkpoint every hyperParams.checkpointEvery epochs); none if unset. */
  artifacts?: RunArtifacts;
  /** A checkpoint of this run to go on from: its weights, optimizer state and position. */
  resumeFrom?: LoadedCheckpoint;
  /** Another run's weights to start from (fine-tuning): those with the same name and shape are copied. */
  initialWeights?: LoadedCheckpoint;
  /**
   * One replica of data-parallel training: it trains on share `rank` of every batch (of `replicas` near-equal
   * contiguous shares) and averages gradients through the exchange `connect` gives it once the model is built (its
   * length: exchangeLength of the trained weights). Every replica runs the same loop on the same shuffled order, so
   * they take the same steps and reach the same weights.
   */
  replica?: ReplicaOptions;
  /** Called with the trained model (best weights restored) before it is freed, unless training failed. */
  onTrained?: (
    model: LayersModel,
    probe: { model: LayersModel; attention: AttentionLayerInfo[] },
    position: { epoch: number; globalStep: number },
  ) => Promise<void>;
}

export interface TrainingHooks {
  emit(event: TrainEvent): void;
  /** Polled between steps; true ends the run as 'stopped' after the current step. */
  stopRequested(): boolean;
  /** Called after every optimizer step, with tf state settled (used by the memory tests). */
  afterStep?(globalStep: number): void;
  /** Polled between steps; while true the run waits (the worker's pause and resume). */
  paused?(): boolean;
}
