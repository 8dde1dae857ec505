import type * as tf from '@tensorflow/tfjs-core';
import { saveCheckpoint, type EarlyStoppingPosition } from '../checkpoints';
import type { RunArtifacts } from '../runArtifacts';
import type { TrainingMonitor } from './trainingMonitor';

/**
 * Writes the run's checkpoints after an epoch's validation: 'latest' every `every` epochs (and after the last one),
 * 'best' whenever the validation loss is the lowest so far. Each is replaced atomically by the run store.
 */
export function checkpointMonitor(
  artifacts: RunArtifacts,
  runId: string,
  every: number,
  epochs: number,
  optimizer: tf.Optimizer,
  /** Early stopping's position after this epoch, saved with each checkpoint. */
  earlyStopping: () => EarlyStoppingPosition | null = () => null,
): TrainingMonitor {
  let best = Infinity;
  return {
    // A resumed run keeps the best it had: only a lower validation loss replaces that checkpoint.
    start: async () => {
      const saved = await artifacts.bestValLoss(runId);
      best = saved !== null && Number.isFinite(saved) ? saved : Infinity;
    },
    afterEpoch: async (state, { epoch, validation }) => {
      const stopping = earlyStopping();
      const position = {
        epoch,
        globalStep: state.globalStep,
        valLoss: validation.loss,
        ...(stopping ? { earlyStopping: stopping } : {}),
      };
      if (epoch % every === 0 || epoch === epochs)
        await saveCheckpoint(artifacts, runId, 'latest', state.model, optimizer, position);
      if (validation.loss < best) {
        best = validation.loss;
        await saveCheckpoint(artifacts, runId, 'best', state.model, optimizer, position);
      }
    },
  };
}
