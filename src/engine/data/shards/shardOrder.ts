import { shuffleInPlace } from '../split/seededRandom';

/**
 * An epoch's order of rows that reads the disk sequentially: the shards in a random order, each one's rows in
 * record order through a shuffle buffer of `bufferSize` rows, from which a random one leaves as each enters. Rows
 * that enter together leave within about a buffer of each other, so the reads of a batch stay inside a shard or two,
 * and the order is as random as a buffer of two shards allows (TFRecord and WebDataset shuffle the same way).
 * `recordOf(row)` is the record a row (an index into the split) reads; the result is a permutation of the rows.
 */
export function shardwiseOrder(
  rows: number,
  recordOf: (row: number) => number,
  recordsPerShard: number,
  bufferSize: number,
  random: () => number,
): number[] {
  const byShard = new Map<number, number[]>();
  for (let row = 0; row < rows; row++) {
    const shard = Math.floor(recordOf(row) / recordsPerShard);
    let list = byShard.get(shard);
    if (!list) byShard.set(shard, (list = []));
    list.push(row);
  }
  const shards = shuffleInPlace(
    [...byShard.keys()].sort((a, b) => a - b),
    random,
  );
  const order: number[] = [];
  const buffer: number[] = [];
  const release = () => {
    const pick = Math.floor(random() * buffer.length);
    order.push(buffer[pick]!);
    buffer[pick] = buffer[buffer.length - 1]!;
    buffer.pop();
  };
  for (const shard of shards) {
    for (const row of byShard.get(shard)!.sort((a, b) => recordOf(a) - recordOf(b))) {
      buffer.push(row);
      if (buffer.length > bufferSize) release();
    }
  }
  while (buffer.length > 0) release();
  return order;
}
