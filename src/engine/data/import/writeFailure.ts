import { DatasetFileError } from './datasetFileError';

/** A write of an import's shards that failed: a full disk said plainly, and that nothing was kept. */
export function writeFailure(source: string, error: NodeJS.ErrnoException, stored: string): DatasetFileError {
  const why =
    error.code === 'ENOSPC' ? 'the disk is full' : `writing the dataset failed (${error.code ?? error.message})`;
  return new DatasetFileError(source, null, `${why} after ${stored}; nothing of this import was kept`);
}

export const gigabytes = (bytes: number): string => (bytes / 1024 ** 3).toFixed(1);
