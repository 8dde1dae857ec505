import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import { saveCheckpoint } from '../checkpoints';
import type { TrainingMonitor } from './trainingMonitor';

/**
 * Writes the run's checkpoints after an epoch's validation: 'latest' every `every` epochs (and after the last one),
 * 'best' whenever the validation loss is the lowest so far. Each is replaced atomically.
 */
export function checkpointMonitor(
  folder: string,
  every: number,
  epochs: number,
  optimizer: tf.Optimizer,
): TrainingMonitor {
  let best = Infinity;
  return {
    // A resumed run keeps the best it had: only a lower validation loss replaces that checkpoint.
    start: async () => {
      const file = await readFile(join(folder, 'best', 'checkpoint.json'), 'utf8').catch(() => null);
      if (file) best = (JSON.parse(file) as { valLoss: number }).valLoss;
    },
    afterEpoch: async (state, { epoch, validation }) => {
      const position = { epoch, globalStep: state.globalStep, valLoss: validation.loss };
      if (epoch % every === 0 || epoch === epochs)
        await saveCheckpoint(folder, 'latest', state.model, optimizer, position);
      if (validation.loss < best) {
        best = validation.loss;
        await saveCheckpoint(folder, 'best', state.model, optimizer, position);
      }
    },
  };
}
