import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { CheckpointSlot } from '../../shared/runLayout';
import { entryBytes, type CheckpointIndex, type TensorEntry } from '../../shared/storedRecords/checkpointIndex';
import type { RunArtifacts } from './runArtifacts';

/**
 * A checkpoint: everything a run needs to go on as if it had never stopped: every weight of the model (moving
 * statistics included), the optimizer's state (Adam's moments, its step count), and where the loop was. Packed here
 * as an index (shared/storedRecords/checkpointIndex.ts: position, tensors' names, shapes and byte offsets) and the
 * tensors' bytes; where they are kept is the run store's business (RunArtifacts).
 */
export interface CheckpointPosition {
  /** The last epoch completed: training goes on at the next. */
  epoch: number;
  globalStep: number;
  /** The validation loss of that epoch, to pick the best. */
  valLoss: number;
  /** Early stopping's best figure so far and the epoch it came from, where early stopping watches the run. */
  earlyStopping?: EarlyStoppingPosition;
}

export interface EarlyStoppingPosition {
  value: number;
  epoch: number;
}

type NamedTensor = { name: string; tensor: tf.Tensor };

export interface LoadedCheckpoint extends CheckpointPosition {
  /** In the model's weight order, each with its layer's name for it (embed/embeddings, encoder1_ffn1/kernel). */
  weights: { name: string; tensor: tf.Tensor }[];
  optimizer: NamedTensor[];
  /** The slot it was read from. */
  slot: CheckpointSlot;
  /** Set when the slot asked for was damaged and another was used. */
  notice?: string;
}

async function pack(tensors: { name: string; tensor: tf.Tensor }[], start: number) {
  const entries: TensorEntry[] = [];
  const parts: Uint8Array[] = [];
  let offset = start;
  for (const { name, tensor } of tensors) {
    const values = await tensor.data();
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    entries.push({ name, shape: tensor.shape, dtype: tensor.dtype === 'int32' ? 'int32' : 'float32', offset });
    parts.push(bytes);
    offset += bytes.byteLength;
  }
  return { entries, parts, end: offset };
}

/**
 * Saves a checkpoint of the model (without an optimizer: the weights alone, as the trained model is kept) into the
 * run's slot; the run store replaces the slot as a whole, so that a crash at any moment leaves a whole checkpoint.
 */
export async function saveCheckpoint(
  artifacts: RunArtifacts,
  runId: string,
  slot: CheckpointSlot,
  model: LayersModel,
  optimizer: tf.Optimizer | null,
  position: CheckpointPosition,
): Promise<void> {
  const weights = await pack(
    model.weights.map((w, i) => ({ name: `${i}:${w.originalName}`, tensor: w.read() })),
    0,
  );
  const optimizerWeights = optimizer ? await optimizer.getWeights() : [];
  const state = await pack(optimizerWeights, weights.end);
  // getWeights makes a new scalar of the step count each call; the rest are the optimizer's own variables.
  tf.dispose(optimizerWeights.filter((named) => !(named.tensor instanceof tf.Variable)).map((named) => named.tensor));
  const index: CheckpointIndex = { format: 1, ...position, weights: weights.entries, optimizer: state.entries };
  await artifacts.saveCheckpoint(runId, slot, index, [...weights.parts, ...state.parts]);
}

/**
 * Reads the run's first whole checkpoint among `slots` as tensors; null when it has none. The run store has
 * checked every tensor against the file's size, so each view below lies inside the bytes read.
 */
export async function loadCheckpoint(
  artifacts: RunArtifacts,
  runId: string,
  slots: readonly CheckpointSlot[],
): Promise<LoadedCheckpoint | null> {
  const stored = await artifacts.loadCheckpoint(runId, slots);
  if (!stored) return null;
  const { index, tensors } = stored;
  const read = (entry: TensorEntry) => {
    const start = tensors.byteOffset + entry.offset;
    const bytes = tensors.buffer.slice(start, start + entryBytes(entry));
    const values = entry.dtype === 'int32' ? new Int32Array(bytes) : new Float32Array(bytes);
    return tf.tensor(values, entry.shape, entry.dtype);
  };
  return {
    slot: stored.slot,
    epoch: index.epoch,
    globalStep: index.globalStep,
    valLoss: index.valLoss,
    ...(index.earlyStopping ? { earlyStopping: index.earlyStopping } : {}),
    weights: index.weights.map((entry) => ({ name: entry.name.replace(/^\d+:/, ''), tensor: read(entry) })),
    optimizer: index.optimizer.map((entry) => ({ name: entry.name, tensor: read(entry) })),
    ...(stored.notice ? { notice: stored.notice } : {}),
  };
}

/**
 * Puts a checkpoint's weights into the model (which must be built from the same spec) and its state into the
 * optimizer, then frees the loaded tensors.
 */
export async function restoreCheckpoint(
  checkpoint: LoadedCheckpoint,
  model: LayersModel,
  optimizer: tf.Optimizer,
): Promise<void> {
  if (checkpoint.weights.length !== model.weights.length) {
    throw new Error(
      `the checkpoint holds ${checkpoint.weights.length} weights but the model has ${model.weights.length}`,
    );
  }
  model.weights.forEach((weight, i) => weight.write(checkpoint.weights[i]!.tensor));
  await optimizer.setWeights(checkpoint.optimizer);
  disposeCheckpoint(checkpoint);
}

export function disposeCheckpoint(checkpoint: LoadedCheckpoint): void {
  tf.dispose([...checkpoint.weights, ...checkpoint.optimizer].map((named) => named.tensor));
}

/**
 * Fine-tuning: copies into the model every weight of another run's checkpoint that has the same name and shape
 * (a head for other classes, an embedding for another vocabulary are left as initialised). Returns how many.
 */
export function loadMatchingWeights(checkpoint: LoadedCheckpoint, model: LayersModel): { copied: number; of: number } {
  const byName = new Map(checkpoint.weights.map((named) => [named.name, named.tensor]));
  let copied = 0;
  for (const weight of model.weights) {
    const source = byName.get(weight.originalName);
    if (source && source.shape.join() === weight.shape.join()) {
      weight.write(source);
      copied++;
    }
  }
  disposeCheckpoint(checkpoint);
  return { copied, of: model.weights.length };
}

/**
 * The weights (in the model's order) of the run's best checkpoint if it is of `epoch`, else null: what early
 * stopping restores after a resume, when the epoch it keeps is the one with the best validation loss.
 */
export async function bestWeightsOfEpoch(
  artifacts: RunArtifacts | undefined,
  runId: string,
  epoch: number,
): Promise<tf.Tensor[] | null> {
  const best = artifacts ? await loadCheckpoint(artifacts, runId, ['best']) : null;
  if (!best) return null;
  if (best.epoch !== epoch) {
    disposeCheckpoint(best);
    return null;
  }
  tf.dispose(best.optimizer.map((named) => named.tensor));
  return best.weights.map((named) => named.tensor);
}
