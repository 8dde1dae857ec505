import * as tf from '@tensorflow/tfjs-core';
import type { HyperParams } from '../../../shared/hyperParams';
import type { TrainingMonitor } from './trainingMonitor';
import type { EarlyStoppingPosition } from '../checkpoints';

type Settings = Pick<
  HyperParams,
  'earlyStoppingPatience' | 'earlyStoppingMetric' | 'earlyStoppingMinDelta' | 'restoreBest'
>;

/**
 * Keeps the weights of the best epoch by the chosen validation figure (an epoch is better only by more than the
 * minimum delta), ends the run after `patience` epochs without a better one when patience is set, and puts the
 * best weights back when the run ends if asked to. The reason for stopping is reported through `onStop`.
 */
export function earlyStopping(
  settings: Settings,
  onStop: (reason: string) => void,
  /**
   * A resumed run's position (from its checkpoint), and the weights of that best epoch where they can be had (the
   * run's best checkpoint, when it is of that epoch): restoring the best then puts back the same epoch.
   */
  resumed?: { position: EarlyStoppingPosition; bestWeights: () => Promise<tf.Tensor[] | null> },
): TrainingMonitor & { position(): EarlyStoppingPosition } {
  const byAccuracy = settings.earlyStoppingMetric === 'val-accuracy';
  const name = byAccuracy ? 'validation accuracy' : 'validation loss';
  // No better figure yet is +-Infinity, which JSON writes as null and reads back as NaN: taken as none.
  const saved = resumed && Number.isFinite(resumed.position.value) ? resumed.position : null;
  let best: { value: number; epoch: number; weights: tf.Tensor[] | null } = {
    value: saved?.value ?? (byAccuracy ? -Infinity : Infinity),
    epoch: saved?.epoch ?? 0,
    weights: null,
  };
  return {
    position: () => ({ value: best.value, epoch: best.epoch }),
    start: async () => {
      if (saved && settings.restoreBest) best.weights = await resumed!.bestWeights();
    },
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
