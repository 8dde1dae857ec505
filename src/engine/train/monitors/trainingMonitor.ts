import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { TrainEvent } from '../../../shared/events';
import type { Evaluation } from '../evaluate';

/** Where the loop is; monitors read it and never change it. */
export interface LoopState {
  readonly runId: string;
  readonly epoch: number;
  /** Step within the epoch, from 1. */
  readonly step: number;
  readonly globalStep: number;
  readonly stepsPerEpoch: number;
  readonly model: LayersModel;
  emit(event: TrainEvent): void;
}

/** One step's figures, read back from the device with the rest of its window. */
export interface StepValues {
  epoch: number;
  step: number;
  globalStep: number;
  samples: number;
  learningRate: number;
  loss: number;
  /** Examples (per-token tasks: real target tokens) predicted right, and counted. */
  correct: number;
  counted: number;
}

export interface EpochRecord {
  epoch: number;
  validation: Evaluation;
  seconds: number;
}

/**
 * A piece of the training loop's work that is not the step itself. The loop calls each hook of each monitor in the
 * monitors' order. Hook points: beforeStep is where a learning-rate schedule sets the rate; afterEpoch, after the
 * validation, is where checkpoints are written and where early stopping may end the run.
 */
export interface TrainingMonitor {
  /** Once, before the first step. */
  start?(state: LoopState): Promise<void> | void;
  beforeStep?(state: LoopState): void;
  /** With the figures of the steps since the last read: they are read from the device in one go, not per step. */
  afterRead?(state: LoopState, steps: readonly StepValues[], windowMs: number): void;
  /** After every step, figures not yet read. */
  afterStep?(state: LoopState): Promise<void> | void;
  /** After each epoch's validation; 'stop' ends the run (completed) after this epoch. */
  afterEpoch?(state: LoopState, epoch: EpochRecord): Promise<'stop' | void> | 'stop' | void;
  /** Once, however the loop ended: a monitor restores what it owes and frees what it holds. */
  finish?(state: LoopState): void;
}
