import type { TrainingMonitor } from './trainingMonitor';

/** Ends the run, naming the first step whose loss is not a number: nothing after it can be trusted. */
export function nanGuard(): TrainingMonitor {
  return {
    afterRead: (_state, steps) => {
      const bad = steps.find((step) => !Number.isFinite(step.loss));
      if (bad) {
        throw new Error(`the loss became ${bad.loss} at epoch ${bad.epoch}, step ${bad.step}: lower the learning rate`);
      }
    },
  };
}
