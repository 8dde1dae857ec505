import type { BackendReport } from './backends';
import type { RunStatus } from './events';
import type { HyperParams } from './hyperParams';
import type { ModelSpec } from './spec/modelSpec';

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
  /** Where the run was started: the app's Train button or `npm run train`. Defaults to 'app'. */
  origin?: 'app' | 'cli';
  /** When the worker started training it, and when it ended. */
  startedAt?: string;
  finishedAt?: string;
  /** The best validation figures of any epoch so far, and that epoch. */
  best?: { epoch: number; valLoss: number; valAccuracy: number };
}
