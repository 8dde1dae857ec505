import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededRandom, shuffleInPlace } from '../../../../src/engine/data/split/seededRandom';
import { SHARD_INDEX, shardFileName } from '../../../../src/engine/data/shards/shardFormat';
import { shardwiseOrder } from '../../../../src/engine/data/shards/shardOrder';
import { ShardReader } from '../../../../src/engine/data/shards/shardReader';
import { ShardWriter } from '../../../../src/engine/data/shards/shardWriter';

/** Record r is 6 bytes, each (r * 7 + byte) mod 256: any misplaced byte shows. */
const record = (r: number) => Uint8Array.from({ length: 6 }, (_, b) => (r * 7 + b) % 256);

async function writeShards(count: number, perShard: number, parts = 3): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'shards-'));
  const writer = new ShardWriter(folder, 'image', 6, perShard);
  // Appended in uneven parts, so that appends straddle shard boundaries.
  for (let start = 0; start < count; start += parts) {
    const end = Math.min(count, start + parts);
    const bytes = new Uint8Array((end - start) * 6);
    for (let r = start; r < end; r++) bytes.set(record(r), (r - start) * 6);
    await writer.append(bytes);
  }
  await writeFile(join(folder, SHARD_INDEX), JSON.stringify(await writer.finish()));
  return folder;
}

describe('shards', () => {
  it('write fixed-size shards and read any records back, in any order, sync or async', async () => {
    const folder = await writeShards(23, 5);
    const reader = await ShardReader.open(folder);
    expect(reader.index.shards.map((s) => s.records)).toEqual([5, 5, 5, 5, 3]);
    const wanted = [22, 0, 5, 4, 17, 17, 9];
    const bytes = await reader.read(wanted);
    wanted.forEach((r, i) => expect(bytes.subarray(i * 6, i * 6 + 6)).toEqual(record(r)));
    expect(reader.readOneSync(13)).toEqual(record(13));
    const all = await reader.readAll();
    for (let r = 0; r < 23; r++) expect(all.subarray(r * 6, r * 6 + 6)).toEqual(record(r));
    await expect(reader.read([23])).rejects.toThrow(/record 23 is not in 0\.\.22/);
    reader.close();
  });

  it('name a damaged shard by its checksum, a short one by its size, and a bad index, before any byte is used', async () => {
    const damaged = await writeShards(12, 4);
    const file = join(damaged, shardFileName(1));
    const bytes = await readFile(file);
    bytes[3]! ^= 1;
    await writeFile(file, bytes);
    const reader = await ShardReader.open(damaged);
    expect((await reader.read([0])).length).toBe(6); // shard 0 is whole
    await expect(reader.read([5])).rejects.toThrow(/shard-00001\.bin: is damaged: its CRC-32 is -?\d+, the index says/);
    expect(() => reader.readOneSync(6)).toThrow(/shard-00001\.bin: is damaged/);
    await expect(reader.readAll()).rejects.toThrow(/shard-00001\.bin: is damaged/);

    const short = await writeShards(12, 4);
    await writeFile(join(short, shardFileName(2)), new Uint8Array(5));
    await expect(ShardReader.open(short)).rejects.toThrow(/shard-00002\.bin: holds 5 bytes, the index says 24/);

    const index = JSON.parse(await readFile(join(short, SHARD_INDEX), 'utf8'));
    await writeFile(join(short, SHARD_INDEX), JSON.stringify({ ...index, records: 99 }));
    await expect(ShardReader.open(short)).rejects.toThrow(
      /shards\.json: is not a valid shard index .*different number of records/,
    );
    await writeFile(join(short, SHARD_INDEX), '{"version":1,');
    await expect(ShardReader.open(short)).rejects.toThrow(/shards\.json: is not a valid shard index/);
  });

  it("order an epoch shard by shard: a permutation, each shard's rows leaving within the buffer's reach", () => {
    // 1000 rows over 20 shards of 50, a buffer of 100 rows; rows read records in a scrambled way.
    const recordOf = (row: number) => (row * 37) % 1000;
    const order = shardwiseOrder(1000, recordOf, 50, 100, seededRandom(3));
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    // A batch (32 consecutive rows of the order) touches a few shards; a full shuffle's touches most of the 20.
    const shardsPerBatch = (rows: number[]) =>
      Array.from({ length: 30 }, (_, b) => {
        const batch = rows.slice(b * 32, b * 32 + 32);
        return new Set(batch.map((row) => Math.floor(recordOf(row) / 50))).size;
      }).reduce((a, b) => a + b) / 30;
    const full = shuffleInPlace(
      Array.from({ length: 1000 }, (_, i) => i),
      seededRandom(3),
    );
    expect(shardsPerBatch(full)).toBeGreaterThan(15);
    expect(shardsPerBatch(order)).toBeLessThan(8);
    // And it is shuffled: not the record order, and another seed gives another order.
    expect(order.slice(0, 50).every((row, i) => i === 0 || recordOf(row) > recordOf(order[i - 1]!))).toBe(false);
    expect(shardwiseOrder(1000, recordOf, 50, 100, seededRandom(4))).not.toEqual(order);
    expect(shardwiseOrder(1000, recordOf, 50, 100, seededRandom(3))).toEqual(order);
  });
});
