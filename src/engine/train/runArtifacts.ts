import type { RunEvaluation } from '../../shared/evaluation/runEvaluation';
import type { CheckpointSlot } from '../../shared/runLayout';
import type { CheckpointIndex } from '../../shared/storedRecords/checkpointIndex';

/** A checkpoint as read from a run's folder: its index, its tensors' bytes, the slot it came from. */
export interface StoredCheckpoint {
  slot: CheckpointSlot;
  index: CheckpointIndex;
  tensors: Uint8Array;
  /** Set when a slot asked for first was damaged and a later one was used: what was wrong, in a sentence. */
  notice?: string;
}

/**
 * What training and inference read and write in a run's folder, without knowing its layout: main's run store
 * implements it (runs/runArtifactFiles.ts), so that one module owns every file of a run.
 */
export interface RunArtifacts {
  /** Replaces the slot's checkpoint as a whole; a failure (a full disk) leaves the old one and no temporaries. */
  saveCheckpoint(runId: string, slot: CheckpointSlot, index: CheckpointIndex, tensors: Uint8Array[]): Promise<void>;
  /**
   * The first whole checkpoint among `slots`, in order; null when the run has none. Throws, naming each file and
   * what is wrong with it, when there are checkpoints but every one is damaged.
   */
  loadCheckpoint(runId: string, slots: readonly CheckpointSlot[]): Promise<StoredCheckpoint | null>;
  /** The validation loss of the run's best checkpoint, without reading its tensors; null when there is none. */
  bestValLoss(runId: string): Promise<number | null>;
  writeEvaluation(runId: string, report: RunEvaluation): Promise<void>;
}
