import type { TrainEvent } from '../shared/events';

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

/** One human line per event worth a line (progress and attention are left to --json and the app). */
export function formatEvent(event: TrainEvent): string | null {
  switch (event.type) {
    case 'started':
      return (
        `training ${event.modelName} on ${event.datasetId}: ${event.parameterCount.toLocaleString('en')} parameters, ` +
        `${event.split.train}/${event.split.validation}/${event.split.test} train/validation/test examples, ` +
        `${event.stepsPerEpoch} steps per epoch` +
        (event.notice ? `\nnote: ${event.notice}` : '')
      );
    case 'epoch':
      return (
        `epoch ${event.epoch}: loss ${event.loss.toFixed(4)} accuracy ${percent(event.accuracy)} | ` +
        `val loss ${event.valLoss.toFixed(4)} val accuracy ${percent(event.valAccuracy)} | ${event.seconds.toFixed(1)} s`
      );
    case 'finished':
      return [
        `${event.status} after ${event.epochs} epoch(s)`,
        event.reason ? `: ${event.reason}` : '',
        event.test ? ` | test loss ${event.test.loss.toFixed(4)} test accuracy ${percent(event.test.accuracy)}` : '',
        event.test?.exactMatch !== undefined ? ` exact match ${percent(event.test.exactMatch)}` : '',
      ].join('');
    default:
      return null;
  }
}
