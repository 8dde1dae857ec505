import { SingleBar } from 'cli-progress';
import type { TrainEvent } from '../shared/events';
import type { Translate } from '../shared/i18n/translator';
import { cliText } from './cliLanguage';

/**
 * The terminal's view of an epoch: a bar of its steps with the samples per second and the time left, redrawn in
 * place on a terminal and printed as a line every few seconds when the output is a file or a pipe.
 */
export class EpochProgress {
  private bar: SingleBar | null = null;
  private epochs = 0;
  private stepsPerEpoch = 0;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly t: Translate = cliText,
  ) {}

  /** Follows the run's events: a bar per epoch, from its first progress report to its end. */
  follow(event: TrainEvent): void {
    if (event.type === 'started') {
      this.epochs = event.hyperParams.epochs;
      this.stepsPerEpoch = event.stepsPerEpoch;
    } else if (event.type === 'progress') {
      if (!this.bar) this.start(event.epoch);
      this.bar!.update(event.step, { speed: event.samplesPerSecond.toFixed(0) });
    } else if (event.type === 'epoch' || event.type === 'finished') {
      this.stop();
    }
  }

  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }

  private start(epoch: number): void {
    this.bar = new SingleBar({
      // cli-progress fills its own {tokens}: the message places them, the bar library replaces them.
      format: this.t('cli.progress', {
        epoch,
        epochs: this.epochs,
        bar: '{bar}',
        percentage: '{percentage}',
        value: '{value}',
        total: '{total}',
        speed: '{speed}',
        eta: '{eta_formatted}',
      }),
      stream: this.stream,
      barsize: 30,
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 2000,
      etaBuffer: 50,
    });
    this.bar.start(this.stepsPerEpoch, 0, { speed: '0' });
  }
}
