import type { ProgressEvent, TrainEvent } from '../../shared/events';

/** The most progress points a run's curves keep: far more than a chart shows, small enough for any log. */
export const MAX_PROGRESS_POINTS = 20_000;
/** The most other events (epochs, starts, pauses, ends) kept; a log with more keeps the latest. */
export const MAX_OTHER_EVENTS = 100_000;

/**
 * Folds a run's events as they are read from its log, in bounded memory whatever the log's size: progress points
 * beyond MAX_PROGRESS_POINTS are merged in neighbouring pairs (the mean loss and speed, the later position), so a
 * long run's curve keeps its shape at a coarser step. Every other event is kept as it is.
 */
export class MetricsFold {
  private events: TrainEvent[] = [];
  private progress = 0;
  private others = 0;

  add(event: TrainEvent): void {
    this.events.push(event);
    if (event.type === 'progress') {
      if (++this.progress > MAX_PROGRESS_POINTS) this.halveProgress();
    } else if (++this.others > MAX_OTHER_EVENTS) {
      const first = this.events.findIndex((e) => e.type !== 'progress' && e.type !== 'started');
      if (first >= 0) this.events.splice(first, 1);
      this.others--;
    }
  }

  result(): TrainEvent[] {
    return this.events;
  }

  /** Merges each pair of progress points that stand next to each other. */
  private halveProgress(): void {
    const merged: TrainEvent[] = [];
    let unpaired: ProgressEvent | null = null;
    for (const event of this.events) {
      if (event.type !== 'progress') {
        merged.push(event);
        unpaired = null;
      } else if (unpaired) {
        merged[merged.length - 1] = {
          ...event,
          loss: (unpaired.loss + event.loss) / 2,
          samplesPerSecond: (unpaired.samplesPerSecond + event.samplesPerSecond) / 2,
        };
        unpaired = null;
      } else {
        merged.push(event);
        unpaired = event;
      }
    }
    this.events = merged;
    this.progress = merged.filter((event) => event.type === 'progress').length;
  }
}
