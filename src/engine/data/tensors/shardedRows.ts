import type { ShardReference } from '../../../export/pytorch/trainingFiles';
import type { PreparedDataset, SplitName } from '../preparedDataset';
import { PrefetchedRecords } from '../shards/prefetchedRecords';
import { SHARD_LABELS } from '../shards/shardFormat';
import type { ShardReader } from '../shards/shardReader';
import { shardwiseOrder } from '../shards/shardOrder';
import type { SplitIndices } from '../split/stratifiedSplit';
import { byName } from './gatherRows';

/** The split's rows of a sharded dataset, read ahead of the step, and what a PreparedDataset says about them. */
export interface ShardedRows {
  /** A batch's records, one after another: fetched ahead when `fetch` was called for the same rows. */
  take(split: SplitName, rows: ArrayLike<number>): Uint8Array;
  prepared: Required<Pick<PreparedDataset, 'fetch' | 'trainingOrder' | 'shards'>>;
}

/**
 * Binds a dataset's shards to its split: records fetched ahead (PrefetchedRecords), an epoch's order that reads the
 * shards in turn, and the reference an export writes instead of copying them. `describe` says what a record is.
 */
export function shardedRows(
  shards: ShardReader,
  indices: SplitIndices,
  describe: Pick<ShardReference, 'record' | 'shape'> & Partial<Pick<ShardReference, 'length' | 'vocabSize'>>,
): ShardedRows {
  const split = byName(indices);
  const key = (name: string, rows: ArrayLike<number>) => `${name}:${Array.prototype.join.call(rows, ',')}`;
  const recordsOf = (name: SplitName, rows: ArrayLike<number>) => Array.from(rows, (row) => split(name)[row]!);
  const prefetched = new PrefetchedRecords(shards);
  const { recordsPerShard } = shards.index;
  return {
    take: (name, rows) => prefetched.take(key(name, rows), recordsOf(name, rows)),
    prepared: {
      fetch: (name, rows) => prefetched.fetch(key(name, rows), recordsOf(name, rows)),
      shards: {
        folder: shards.folder,
        ...describe,
        recordBytes: shards.recordBytes,
        recordsPerShard,
        shards: shards.index.shards.map(({ file, records }) => ({ file, records })),
        labels: SHARD_LABELS,
        records: {
          train: Int32Array.from(indices.train),
          validation: Int32Array.from(indices.validation),
          test: Int32Array.from(indices.test),
        },
      },
      // Two shards' worth of rows in the shuffle buffer: batches read from a shard or two at a time.
      trainingOrder: (random) =>
        shardwiseOrder(
          indices.train.length,
          (row) => indices.train[row]!,
          recordsPerShard,
          2 * recordsPerShard,
          random,
        ),
    },
  };
}
