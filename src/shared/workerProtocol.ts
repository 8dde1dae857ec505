import type { BackendReport } from './backends';
import type { AttentionEvent, TrainEvent } from './events';
import type { DecodedExample, Prediction } from './prediction';
import type { RunPlan } from './runPlan';

/**
 * The messages between the training supervisor (main thread) and the training worker. Tensors never cross: the
 * attention snapshots inside events travel as Float32Arrays, transferred rather than copied.
 */
export type SupervisorMessage =
  /** Train this plan (the supervisor gives the worker one run at a time). */
  | { type: 'start'; plan: RunPlan }
  /** The run ends as 'stopped' after its current step. */
  | { type: 'stop'; runId: string }
  /** The run waits between two steps until resumed (or stopped); its model and optimizer stay in memory. */
  | { type: 'pause'; runId: string }
  | { type: 'resume'; runId: string }
  /** Ask the plan's trained run about one example (between training steps, if a run is training). */
  | {
      type: 'predict';
      requestId: number;
      plan: RunPlan;
      example: DecodedExample;
      beamWidth: number;
      lengthPenalty: number;
    }
  /** Work on a stored run that needs TensorFlow.js, answered like a prediction (between training steps). */
  | { type: 'task'; requestId: number; task: WorkerTask };

/**
 * export: write the plan's model as a PyTorch folder (its trained weights, or its seeded initial ones);
 * import-report: compute an imported run's test report (written beside it) and attention snapshot (returned).
 */
export type WorkerTask =
  | { kind: 'export'; plan: RunPlan; weights: 'trained' | 'initial'; outDir: string }
  | { kind: 'import-report'; plan: RunPlan };

export type WorkerTaskResult =
  { kind: 'export'; files: string[]; source: string } | { kind: 'import-report'; attention: AttentionEvent | null };

export type WorkerMessage =
  | { type: 'ready'; backend: BackendReport }
  | { type: 'event'; event: TrainEvent }
  /** The worker cannot train at all (no backend loaded); the supervisor fails queued runs with this reason. */
  | { type: 'fatal'; message: string }
  /**
   * The backend is broken after this run failed (a wasm abort or out-of-memory leaves it computing garbage); sent
   * just before the run's finished event, so that the supervisor replaces the worker before the next run.
   */
  | { type: 'backend-lost'; runId: string; message: string }
  /** The answer to a 'predict', or why there is none. */
  | { type: 'prediction'; requestId: number; prediction: Prediction }
  | { type: 'prediction-failed'; requestId: number; message: string }
  | { type: 'task-done'; requestId: number; result: WorkerTaskResult }
  | { type: 'task-failed'; requestId: number; message: string };

export interface TrainingWorkerData {
  /** Where datasets that are slow to prepare keep a ready-to-load copy. */
  cacheDir: string;
  /** Where imported datasets are kept. */
  datasetsDir: string;
  /** The run store: the worker writes each run's checkpoints into its folder. */
  runsDir?: string;
  /** Forces one backend (tests, benchmarks, or a user who wants the same numbers everywhere). */
  backend?: string;
  /** The app's resources folder (train.py for the PyTorch export); the repository's when unset. */
  resourcesDir?: string;
}
