import type { TrainEvent } from '../shared/events';
import type { Translate } from '../shared/i18n/translator';
import { cliText } from './cliLanguage';

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

/** One human line per event worth a line (progress and attention are left to --json and the app). */
export function formatEvent(event: TrainEvent, t: Translate = cliText): string | null {
  switch (event.type) {
    case 'started':
      return (
        t('cli.started', {
          model: event.modelName,
          dataset: event.datasetId,
          parameters: event.parameterCount.toLocaleString('en'),
          train: event.split.train,
          validation: event.split.validation,
          test: event.split.test,
          steps: event.stepsPerEpoch,
        }) + (event.notice ? `\n${t('cli.note', { notice: event.notice })}` : '')
      );
    case 'epoch':
      return t('cli.epoch', {
        epoch: event.epoch,
        loss: event.loss.toFixed(4),
        accuracy: percent(event.accuracy),
        valLoss: event.valLoss.toFixed(4),
        valAccuracy: percent(event.valAccuracy),
        seconds: event.seconds.toFixed(1),
      });
    case 'finished':
      return [
        t('cli.finished', { status: t(`runStates.${event.status}`), epochs: event.epochs }),
        event.reason ? `: ${event.reason}` : '',
        event.test ? t('cli.test', { loss: event.test.loss.toFixed(4), accuracy: percent(event.test.accuracy) }) : '',
        event.test?.exactMatch !== undefined ? t('cli.exactMatch', { value: percent(event.test.exactMatch) }) : '',
      ].join('');
    default:
      return null;
  }
}
