import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/**
 * A checkpoint: everything a run needs to go on as if it had never stopped: every weight of the model (moving
 * statistics included), the optimizer's state (Adam's moments, its step count), and where the loop was. Written
 * as checkpoint.json (the position and the tensors' names, shapes and byte offsets) beside tensors.bin.
 */
export interface CheckpointPosition {
  /** The last epoch completed: training goes on at the next. */
  epoch: number;
  globalStep: number;
  /** The validation loss of that epoch, to pick the best. */
  valLoss: number;
}

interface TensorEntry {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  offset: number;
}

interface CheckpointFile extends CheckpointPosition {
  format: 1;
  weights: TensorEntry[];
  optimizer: TensorEntry[];
}

type NamedTensor = { name: string; tensor: tf.Tensor };

export interface LoadedCheckpoint extends CheckpointPosition {
  /** In the model's weight order, each with its layer's name for it (embed/embeddings, encoder1_ffn1/kernel). */
  weights: { name: string; tensor: tf.Tensor }[];
  optimizer: NamedTensor[];
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
 * Writes a checkpoint as `folder/<slot>` (without an optimizer: the weights alone, as the trained model is kept),
 * atomically: into a temporary folder first, then renamed into place (the
 * slot it replaces is moved aside and removed after), so that a crash at any moment leaves a whole checkpoint.
 */
export async function saveCheckpoint(
  folder: string,
  slot: string,
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
  const file: CheckpointFile = { format: 1, ...position, weights: weights.entries, optimizer: state.entries };
  const temporary = join(folder, `.${slot}-${randomBytes(4).toString('hex')}`);
  await mkdir(temporary, { recursive: true });
  await writeFile(join(temporary, 'tensors.bin'), Buffer.concat([...weights.parts, ...state.parts]));
  await writeFile(join(temporary, 'checkpoint.json'), JSON.stringify(file));
  const target = join(folder, slot);
  const aside = join(folder, `.${slot}-old`);
  await rm(aside, { recursive: true, force: true });
  await rename(target, aside).catch(() => undefined);
  await rename(temporary, target);
  await rm(aside, { recursive: true, force: true });
}

/** Reads `folder/<slot>` (or the copy a crash left aside); null when there is none. */
export async function loadCheckpoint(folder: string, slot: string): Promise<LoadedCheckpoint | null> {
  for (const name of [slot, `.${slot}-old`]) {
    let file: CheckpointFile;
    let data: Buffer;
    try {
      file = JSON.parse(await readFile(join(folder, name, 'checkpoint.json'), 'utf8')) as CheckpointFile;
      data = await readFile(join(folder, name, 'tensors.bin'));
    } catch {
      continue;
    }
    const read = (entry: TensorEntry) => {
      const count = entry.shape.reduce((a, b) => a * b, 1);
      const bytes = data.buffer.slice(data.byteOffset + entry.offset, data.byteOffset + entry.offset + 4 * count);
      const values = entry.dtype === 'int32' ? new Int32Array(bytes) : new Float32Array(bytes);
      return tf.tensor(values, entry.shape, entry.dtype);
    };
    return {
      epoch: file.epoch,
      globalStep: file.globalStep,
      valLoss: file.valLoss,
      weights: file.weights.map((entry) => ({ name: entry.name.replace(/^\d+:/, ''), tensor: read(entry) })),
      optimizer: file.optimizer.map((entry) => ({ name: entry.name, tensor: read(entry) })),
    };
  }
  return null;
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
