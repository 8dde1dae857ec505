import { ImportCancelledError } from './datasetFileError';

/** How far an import is: items done of total (0 while the total is still being counted), their rate and what is left. */
export interface ImportProgress {
  done: number;
  total: number;
  phase: string;
  /** Items per second since the phase began. */
  rate: number;
  /** Seconds left at that rate; null while it cannot be told. */
  etaSeconds: number | null;
}

/** What an import reports while it runs, and how it is told to stop. */
export interface ImportControl {
  signal?: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
}

/**
 * Lets a long import share the thread: every ~30 ms of work it reports progress (with the phase's rate and ETA)
 * and yields to the event loop, so that the app keeps answering (and can ask it to stop) while it reads.
 */
export function progressTicker(control: ImportControl, phase: string, total: number) {
  const started = performance.now();
  let last = started;
  return async (done: number): Promise<void> => {
    if (control.signal?.aborted) throw new ImportCancelledError();
    const now = performance.now();
    if (now - last < 30 && (total === 0 || done < total)) return;
    last = now;
    const rate = now > started ? (done * 1000) / (now - started) : 0;
    const etaSeconds = total > 0 && rate > 0 && done > 0 ? (total - done) / rate : null;
    control.onProgress?.({ done, total, phase, rate, etaSeconds });
    await new Promise((resolve) => setImmediate(resolve));
    if (control.signal?.aborted) throw new ImportCancelledError();
  };
}
