import { SingleBar } from 'cli-progress';
import type { ImportProgress } from '../engine/data/import/importProgress';
import type { Translate } from '../shared/i18n/translator';
import { cliText } from './cliLanguage';

/**
 * The terminal's view of an import: a bar per phase (counting the files, then decoding them) with the rate and the
 * time left, redrawn in place on a terminal and printed as a line every few seconds into a file or a pipe.
 */
export class ImportProgressBar {
  private bar: SingleBar | null = null;
  private phase = '';

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly t: Translate = cliText,
  ) {}

  update(progress: ImportProgress): void {
    if (progress.phase !== this.phase) {
      this.stop();
      this.phase = progress.phase;
      this.bar = new SingleBar({
        format: this.t('cli.importProgress', {
          phase: progress.phase,
          bar: '{bar}',
          percentage: '{percentage}',
          value: '{value}',
          total: '{total}',
          rate: '{rate}',
          left: '{left}',
        }),
        stream: this.stream,
        barsize: 30,
        hideCursor: true,
        noTTYOutput: true,
        notTTYSchedule: 2000,
      });
      this.bar.start(Math.max(progress.total, progress.done), 0, { rate: '0', left: '-' });
    }
    // While files are counted the total is what has been counted so far.
    this.bar!.setTotal(progress.total > 0 ? progress.total : progress.done);
    this.bar!.update(progress.done, {
      rate: progress.rate.toFixed(0),
      left: progress.etaSeconds === null ? '-' : `${Math.ceil(progress.etaSeconds)} s`,
    });
  }

  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }
}
