import { z } from 'zod';

/**
 * A dataset bigger than memory lives on disk as fixed-size shards of fixed-size uint8 records (one image's pixels,
 * row-major [H, W, C], or one text's token ids) plus an index: shards.json, which names every shard with its record
 * count and CRC-32. A record's place is arithmetic (shard = record / recordsPerShard), so reading one needs no
 * lookup, and a shard read front to back is one sequential read of the disk.
 */

export const SHARD_INDEX = 'shards.json';
/** Labels of every record, int32 little-endian, in record order: small enough to hold (5 MB for ImageNet). */
export const SHARD_LABELS = 'labels.bin';
/** Text records: each text's length in tokens before it was cut, uint32 little-endian (the length histogram). */
export const SHARD_LENGTHS = 'lengths.bin';
/** A shard holds about this many bytes: big enough for sequential reads, small enough to shuffle shards well. */
export const SHARD_TARGET_BYTES = 64 * 1024 * 1024;

export const shardFileName = (shard: number): string => `shard-${String(shard).padStart(5, '0')}.bin`;

export const shardIndexSchema = z
  .object({
    version: z.literal(1),
    /** What a record is: 'image' (uint8 pixels) or 'tokens' (uint32 little-endian ids, 0-padded). */
    record: z.enum(['image', 'tokens']),
    recordBytes: z
      .number()
      .int()
      .positive()
      .max(64 * 1024 * 1024),
    recordsPerShard: z.number().int().positive(),
    records: z.number().int().nonnegative(),
    shards: z.array(
      z
        .object({
          file: z.string().regex(/^shard-\d{5}\.bin$/),
          records: z.number().int().positive(),
          crc32: z.number().int(),
        })
        .strict(),
    ),
  })
  .strict()
  .refine((index) => index.shards.reduce((n, s) => n + s.records, 0) === index.records, {
    message: 'the shards hold a different number of records than the index says',
  })
  .refine((index) => index.shards.every((s, i) => s.records <= index.recordsPerShard && s.file === shardFileName(i)), {
    message: 'a shard is out of order or bigger than recordsPerShard',
  });
export type ShardIndex = z.infer<typeof shardIndexSchema>;

/** As many records as fit SHARD_TARGET_BYTES, at least one. */
export const recordsPerShardFor = (recordBytes: number): number =>
  Math.max(1, Math.floor(SHARD_TARGET_BYTES / recordBytes));
