import { join } from 'node:path';
import type { RunArtifacts, StoredCheckpoint } from '../../engine/train/runArtifacts';
import type { RunEvaluation } from '../../shared/evaluation/runEvaluation';
import { isRunId, RUN_FILES, type CheckpointSlot } from '../../shared/runLayout';
import type { CheckpointIndex } from '../../shared/storedRecords/checkpointIndex';
import { writeAtomically } from '../../engine/io/atomicWrite';
import { CheckpointFiles } from './checkpointFiles';
import type { RunFileSystem } from './runFileSystem';

/**
 * The files the training worker writes and reads in a run's folder (checkpoints, the test report), behind the
 * engine's RunArtifacts interface: the layout stays spelled in main's run store alone. The worker runs in the
 * process that holds the run's lock, so these writes are that writer's.
 */
export class RunArtifactFiles implements RunArtifacts {
  constructor(
    private readonly files: RunFileSystem,
    private readonly root: string,
  ) {}

  checkpointFiles(runId: string): CheckpointFiles {
    if (!isRunId(runId)) throw new Error(`"${runId}" is not a run id`);
    return new CheckpointFiles(this.files, join(this.root, runId, RUN_FILES.checkpoints));
  }

  saveCheckpoint(runId: string, slot: CheckpointSlot, index: CheckpointIndex, tensors: Uint8Array[]): Promise<void> {
    return this.checkpointFiles(runId).write(slot, index, tensors);
  }

  loadCheckpoint(runId: string, slots: readonly CheckpointSlot[]): Promise<StoredCheckpoint | null> {
    return this.checkpointFiles(runId).load(slots);
  }

  async bestValLoss(runId: string): Promise<number | null> {
    const best = await this.checkpointFiles(runId).inspect('best');
    return best.state === 'ok' ? best.index.valLoss : null;
  }

  writeEvaluation(runId: string, report: RunEvaluation): Promise<void> {
    if (!isRunId(runId)) throw new Error(`"${runId}" is not a run id`);
    return writeAtomically(this.files, join(this.root, runId, RUN_FILES.evaluation), JSON.stringify(report));
  }
}
