import { ImportCancelledError } from './datasetFileError';

/** What an import reports while it runs, and how it is told to stop. */
export interface ImportControl {
  signal?: AbortSignal;
  onProgress?: (progress: { done: number; total: number; phase: string }) => void;
}

/**
 * Lets a long import share the thread: every ~30 ms of work it reports progress and yields to the event loop, so
 * that the app keeps answering (and can ask it to stop) while 60,000 images are read in the main process.
 */
export function progressTicker(control: ImportControl, phase: string, total: number) {
  let last = performance.now();
  return async (done: number): Promise<void> => {
    if (control.signal?.aborted) throw new ImportCancelledError();
    const now = performance.now();
    if (now - last < 30 && done < total) return;
    last = now;
    control.onProgress?.({ done, total, phase });
    await new Promise((resolve) => setImmediate(resolve));
    if (control.signal?.aborted) throw new ImportCancelledError();
  };
}
