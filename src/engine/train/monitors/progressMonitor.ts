import type { TrainingMonitor } from './trainingMonitor';

/** One progress event per read window: its mean step loss and its throughput. */
export function progressMonitor(): TrainingMonitor {
  return {
    afterRead: (state, steps, windowMs) => {
      const last = steps.at(-1);
      if (!last) return;
      const samples = steps.reduce((sum, step) => sum + step.samples, 0);
      state.emit({
        type: 'progress',
        runId: state.runId,
        epoch: last.epoch,
        step: last.step,
        globalStep: last.globalStep,
        loss: steps.reduce((sum, step) => sum + step.loss, 0) / steps.length,
        learningRate: last.learningRate,
        samplesPerSecond: (samples * 1000) / Math.max(1, windowMs),
      });
    },
  };
}
