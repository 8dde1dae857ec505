import type { CheckpointSlot } from './runLayout';
import type { BackendReport } from './backends';
import { isResumable, type RunStatus } from './events';
import type { HyperParams } from './hyperParams';
import type { ModelSpec } from './architecture/modelSpec';
import type { TokenizerSettings } from './tokenizerSettings';

/** A checkpoint a run can go on from (latest) or be used from (best). */
export interface CheckpointInfo {
  slot: CheckpointSlot;
  epoch: number;
  globalStep: number;
  /** The validation loss it was saved at; null for the final model (saved after the test, not at an epoch). */
  valLoss: number | null;
}

/** run.json: what a run is, written when it starts and rewritten when its status changes. */
export interface RunRecord {
  id: string;
  createdAt: string;
  updatedAt: string;
  status: RunStatus;
  reason?: string;
  datasetId: string;
  /** The preset trained, or the one the drawn spec started from; null for a graph drawn from empty. */
  presetId: string | null;
  spec: ModelSpec;
  hyperParams: HyperParams;
  backend?: BackendReport;
  parameterCount?: number;
  test?: { loss: number; accuracy: number; exactMatch?: number };
  /** Where the run was started: the app's Train button, `npm run train`, or elsewhere and imported. Defaults to 'app'. */
  origin?: 'app' | 'cli' | 'import';
  /** What trained an imported run, e.g. "pytorch 2.3 · torchrun 2×cuda" (its `backend` is then unset). */
  trainedBy?: string;
  /** When the worker started training it, and when it ended. */
  startedAt?: string;
  finishedAt?: string;
  /** How text was cut, as the request set it (a resumed run cuts it the same way). */
  tokenizer?: TokenizerSettings;
  /** The run whose weights this one started from (fine-tuning). */
  initFromRun?: string;
  /** What the user calls the run, and the labels they gave it, in the Runs view. */
  name?: string;
  tags?: string[];
  /** The best validation figures of any epoch so far, and that epoch. */
  best?: { epoch: number; valLoss: number; valAccuracy: number };
}

/** A file of the run store (or of a comparison) that could not be read as what it should be, and why. */
export interface DamagedRecord {
  /** The run (or comparison) it belongs to, as its folder or file names it. */
  id: string;
  /** Its path inside the data folder, e.g. runs/20261204T101500-a1b2c3/run.json. */
  file: string;
  reason: string;
}

/** What trained a run, as the Runs view shows it: the backend, or the engine an imported run was trained with. */
export const trainedByOf = (run: RunRecord): string =>
  run.trainedBy ?? (run.backend ? `${run.backend.name}${replicasSuffix(run.hyperParams.replicas)}` : '');

/** " × N" after a backend trained with N > 1 data-parallel replicas, as the Runs view and the CLI list show it. */
export const replicasSuffix = (replicas: number): string => (replicas > 1 ? ` × ${replicas}` : '');

/**
 * Whether the Runs view offers Resume: the run ended before its last epoch, and it has a checkpoint to go on from. A
 * run saves one after its first epoch (the best so far) unless its recipe writes none, so a run stopped before an
 * epoch ended, or trained with checkpoints off, has nothing to resume (main would refuse it, saying so).
 */
export const canResume = (run: RunRecord): boolean =>
  isResumable(run.status) && run.best !== undefined && run.hyperParams.checkpointEvery > 0;
