import type { TrainingMonitor } from './trainingMonitor';

/** Sums each epoch's step figures as they are read, and reports the epoch with its validation. */
export function epochMonitor(): TrainingMonitor {
  let [loss, samples, correct, counted] = [0, 0, 0, 0];
  return {
    afterRead: (_state, steps) => {
      for (const step of steps) {
        loss += step.loss * step.samples;
        samples += step.samples;
        correct += step.correct;
        counted += step.counted;
      }
    },
    afterEpoch: (state, { epoch, validation, seconds }) => {
      state.emit({
        type: 'epoch',
        runId: state.runId,
        epoch,
        loss: loss / Math.max(1, samples),
        accuracy: correct / Math.max(1, counted),
        valLoss: validation.loss,
        valAccuracy: validation.accuracy,
        seconds,
      });
      [loss, samples, correct, counted] = [0, 0, 0, 0];
    },
  };
}
