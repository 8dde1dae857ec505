import Papa from 'papaparse';
import type { TrainEvent } from '../../shared/events';
import { documentSafe } from '../../shared/controlCharacters';

const COLUMNS = [
  'kind',
  'epoch',
  'step',
  'global_step',
  'loss',
  'accuracy',
  'val_loss',
  'val_accuracy',
  'samples_per_second',
  'seconds',
] as const;

/**
 * A run's metrics as CSV for a spreadsheet or pandas: one row per progress report (the training loss at a global
 * step) and one per epoch (its training and validation loss and accuracy). papaparse writes it, quoting included.
 */
export function metricsCsv(events: readonly TrainEvent[]): string {
  let globalStep = 0;
  const rows = events.flatMap((event): Record<(typeof COLUMNS)[number], string | number>[] => {
    if (event.type === 'progress') {
      globalStep = event.globalStep;
      const { epoch, step, loss, samplesPerSecond } = event;
      return [
        {
          kind: 'step',
          epoch,
          step,
          global_step: globalStep,
          loss,
          accuracy: '',
          val_loss: '',
          val_accuracy: '',
          samples_per_second: samplesPerSecond,
          seconds: '',
        },
      ];
    }
    if (event.type === 'epoch') {
      const { epoch, loss, accuracy, valLoss, valAccuracy, seconds } = event;
      return [
        {
          kind: 'epoch',
          epoch,
          step: '',
          global_step: globalStep,
          loss,
          accuracy,
          val_loss: valLoss,
          val_accuracy: valAccuracy,
          samples_per_second: '',
          seconds,
        },
      ];
    }
    return [];
  });
  const csv = Papa.unparse({ fields: [...COLUMNS], data: rows.map((row) => COLUMNS.map((column) => row[column])) });
  return documentSafe(csv);
}
