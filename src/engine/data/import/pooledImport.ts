import type { ShardWriter } from '../shards/shardWriter';
import { ImportCancelledError } from './datasetFileError';
import type { ImportControl } from './importProgress';

/**
 * Runs the part of an import that works through a pool of threads into a shard writer: a cancel terminates every
 * thread at once (the chunks they held are rejected); on any failure the open shard is closed (the caller then
 * removes the folder) and a cancel is reported as one; the pool always ends with the body.
 */
export async function withImportPool<T>(
  pool: { close(): void },
  writer: ShardWriter,
  control: ImportControl,
  body: () => Promise<T>,
): Promise<T> {
  const stop = () => pool.close();
  control.signal?.addEventListener('abort', stop);
  try {
    return await body();
  } catch (error) {
    await writer.abandon();
    throw control.signal?.aborted ? new ImportCancelledError() : error;
  } finally {
    control.signal?.removeEventListener('abort', stop);
    pool.close();
  }
}
