import * as tf from '@tensorflow/tfjs-core';
import type { TrainingMonitor } from './trainingMonitor';

/**
 * Ends the run when the validation loss has not improved for `patience` epochs, and puts back the weights of the
 * best epoch when the run ends, however it ends. The reason is reported through `onStop`.
 */
export function earlyStopping(patience: number, onStop: (reason: string) => void): TrainingMonitor {
  let best: { loss: number; epoch: number; weights: tf.Tensor[] | null } = { loss: Infinity, epoch: 0, weights: null };
  return {
    afterEpoch: (state, { epoch, validation }) => {
      if (validation.loss < best.loss) {
        tf.dispose(best.weights ?? []);
        best = { loss: validation.loss, epoch, weights: state.model.getWeights().map((w) => tf.keep(w.clone())) };
      } else if (epoch - best.epoch >= patience) {
        onStop(`early stopping: no better validation loss since epoch ${best.epoch}`);
        return 'stop';
      }
    },
    finish: (state) => {
      if (best.weights) state.model.setWeights(best.weights);
      tf.dispose(best.weights ?? []);
      best = { ...best, weights: null };
    },
  };
}
