import { z } from 'zod';
import { storedCount, storedNumber } from './storedNumber';

/** The most epochs a run may have trained (hyperParams.epochs' own bound): a checkpoint claiming more is damaged. */
export const MAX_CHECKPOINT_EPOCH = 10_000;
/** The largest tensors.bin a checkpoint may describe (Node reads at most 2 GiB into one buffer). */
export const MAX_CHECKPOINT_BYTES = 2 ** 31 - 1;

const tensorEntrySchema = z.object({
  name: z.string().min(1).max(1000),
  shape: z.array(storedCount(MAX_CHECKPOINT_BYTES)).max(8),
  dtype: z.enum(['float32', 'int32']),
  offset: storedCount(MAX_CHECKPOINT_BYTES),
});
export type TensorEntry = z.infer<typeof tensorEntrySchema>;

/** checkpoint.json: where the loop was, and each tensor's name, shape and place in tensors.bin. */
export const checkpointIndexSchema = z.object({
  format: z.literal(1),
  /** The last epoch completed: training goes on at the next. */
  epoch: storedCount(MAX_CHECKPOINT_EPOCH),
  globalStep: storedCount(Number.MAX_SAFE_INTEGER),
  /** The validation loss of that epoch (NaN, written null, for the final model). */
  valLoss: storedNumber,
  /**
   * Early stopping's best figure so far and its epoch, so that a resumed run waits out the same patience and
   * restores the same epoch (absent in checkpoints written before, or without early stopping).
   */
  earlyStopping: z.object({ value: storedNumber, epoch: storedCount(MAX_CHECKPOINT_EPOCH) }).optional(),
  weights: z.array(tensorEntrySchema).max(100_000),
  optimizer: z.array(tensorEntrySchema).max(400_000),
});
export type CheckpointIndex = z.infer<typeof checkpointIndexSchema>;

/** Bytes a tensor takes in tensors.bin (4 per value for both dtypes). */
export const entryBytes = (entry: TensorEntry): number => 4 * entry.shape.reduce((a, b) => a * b, 1);

/**
 * Checks an index against the size of its tensors.bin: every tensor inside the file, and the file no shorter than
 * the last one's end. Returns what is wrong, or null.
 */
export function tensorsMismatch(index: CheckpointIndex, fileBytes: number): string | null {
  let end = 0;
  for (const entry of [...index.weights, ...index.optimizer]) {
    const bytes = entryBytes(entry);
    if (!Number.isSafeInteger(bytes) || entry.offset + bytes > fileBytes) {
      return `tensors.bin holds ${fileBytes} bytes but ${entry.name} needs bytes ${entry.offset} to ${entry.offset + bytes}`;
    }
    end = Math.max(end, entry.offset + bytes);
  }
  return end === fileBytes ? null : `tensors.bin holds ${fileBytes} bytes but its index describes ${end}`;
}
