import * as tf from '@tensorflow/tfjs-core';
import type { HyperParams } from '../../../shared/hyperParams';
import type { TrainingMonitor } from './trainingMonitor';

type Settings = Pick<
  HyperParams,
  'earlyStoppingPatience' | 'earlyStoppingMetric' | 'earlyStoppingMinDelta' | 'restoreBest'
>;

/**
 * Keeps the weights of the best epoch by the chosen validation figure (an epoch is better only by more than the
 * minimum delta), ends the run after `patience` epochs without a better one when patience is set, and puts the
 * best weights back when the run ends if asked to. The reason for stopping is reported through `onStop`.
 */
export function earlyStopping(settings: Settings, onStop: (reason: string) => void): TrainingMonitor {
  const byAccuracy = settings.earlyStoppingMetric === 'val-accuracy';
  const name = byAccuracy ? 'validation accuracy' : 'validation loss';
  let best: { value: number; epoch: number; weights: tf.Tensor[] | null } = {
    value: byAccuracy ? -Infinity : Infinity,
    epoch: 0,
    weights: null,
  };
  return {
    afterEpoch: (state, { epoch, validation }) => {
      const value = byAccuracy ? validation.accuracy : validation.loss;
      const better = byAccuracy
        ? value > best.value + settings.earlyStoppingMinDelta
        : value < best.value - settings.earlyStoppingMinDelta;
      if (better) {
        tf.dispose(best.weights ?? []);
        const weights = settings.restoreBest ? state.model.getWeights().map((w) => tf.keep(w.clone())) : null;
        best = { value, epoch, weights };
      } else if (settings.earlyStoppingPatience > 0 && epoch - best.epoch >= settings.earlyStoppingPatience) {
        onStop(`early stopping: no better ${name} since epoch ${best.epoch}`);
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
