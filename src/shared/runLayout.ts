/**
 * Where a run's files lie inside its folder, spelled once for the worker (which writes checkpoints), main (which
 * lists them and plans resumes) and the CLI. Forward slashes: Node's file functions accept them on every platform.
 */

/** final: the trained model (after restore-best); best: lowest validation loss; latest: the last one saved. */
export const CHECKPOINT_SLOTS = ['final', 'best', 'latest'] as const;
export type CheckpointSlot = (typeof CHECKPOINT_SLOTS)[number];

/** The folder that holds a run's checkpoint slots (one subfolder each). */
export const checkpointsFolder = (runsDir: string, runId: string) => `${runsDir}/${runId}/checkpoints`;

/** A slot's description file: its position and the tensors' names, shapes and offsets. */
export const checkpointFile = (runsDir: string, runId: string, slot: CheckpointSlot) =>
  `${checkpointsFolder(runsDir, runId)}/${slot}/checkpoint.json`;
