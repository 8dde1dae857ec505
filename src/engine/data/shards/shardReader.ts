import CRC32 from 'crc-32';
import { closeSync, fstatSync, openSync, read, readSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { SHARD_INDEX, shardIndexSchema, type ShardIndex } from './shardFormat';

/** Shards kept open at once; older ones are closed and reopened when touched again. */
const OPEN_SHARDS = 64;
/** Bytes read per call while a shard's checksum is verified. */
const VERIFY_CHUNK = 4 * 1024 * 1024;

/** A stored dataset's shards that are not what their index says: named, with the reason. */
export class ShardError extends Error {
  constructor(folder: string, file: string, problem: string) {
    super(`${join(folder, file)}: ${problem}`);
    this.name = 'ShardError';
  }
}

function readAt(fd: number, into: Uint8Array, position: number): Promise<void> {
  return new Promise((resolve, reject) =>
    read(fd, into, 0, into.length, position, (error, bytes) =>
      error ? reject(error) : bytes < into.length ? reject(new Error('ends early')) : resolve(),
    ),
  );
}

/**
 * Reads records out of a folder of shards. Each shard's CRC-32 is verified the first time this reader touches it
 * (one sequential read, which also warms the page cache for the reads that follow), so a damaged shard is named
 * before any of its bytes reach training. Reads go through libuv's thread pool: `read` overlaps a training step.
 */
export class ShardReader {
  private readonly fds = new Map<number, number>();
  private readonly verified = new Map<number, Promise<void>>();
  /** Shards whose check failed, and why: every later read of them fails the same way. */
  private readonly damaged = new Map<number, Error>();

  private constructor(
    readonly folder: string,
    readonly index: ShardIndex,
  ) {}

  /** Opens the index (validated: a damaged one is an error naming it) and checks every shard's size. */
  static async open(folder: string): Promise<ShardReader> {
    let index: ShardIndex;
    try {
      index = shardIndexSchema.parse(JSON.parse(await readFile(join(folder, SHARD_INDEX), 'utf8')));
    } catch (error) {
      const why = error instanceof z.ZodError ? z.prettifyError(error).replace(/\s+/g, ' ') : (error as Error).message;
      throw new ShardError(folder, SHARD_INDEX, `is not a valid shard index (${why.slice(0, 300)})`);
    }
    const reader = new ShardReader(folder, index);
    for (const [shard, entry] of index.shards.entries()) {
      const size = fstatSync(reader.fd(shard)).size;
      if (size !== entry.records * index.recordBytes)
        throw new ShardError(
          folder,
          entry.file,
          `holds ${size} bytes, the index says ${entry.records * index.recordBytes}`,
        );
    }
    return reader;
  }

  get count(): number {
    return this.index.records;
  }

  get recordBytes(): number {
    return this.index.recordBytes;
  }

  /** The records given, in that order, one after another. */
  async read(records: ArrayLike<number>): Promise<Uint8Array> {
    const { recordBytes, recordsPerShard } = this.index;
    const out = new Uint8Array(records.length * recordBytes);
    const shards = new Set<number>();
    for (let i = 0; i < records.length; i++) shards.add(this.shardOf(records[i]!));
    await Promise.all([...shards].map((shard) => this.verify(shard)));
    await Promise.all(
      Array.from(records, (record, i) =>
        readAt(
          this.fd(Math.floor(record / recordsPerShard)),
          out.subarray(i * recordBytes, (i + 1) * recordBytes),
          (record % recordsPerShard) * recordBytes,
        ),
      ),
    );
    return out;
  }

  /** Every record in order, each shard read once front to back (and verified on the way): a small set into memory. */
  async readAll(): Promise<Uint8Array> {
    const { recordBytes, recordsPerShard } = this.index;
    const out = new Uint8Array(this.index.records * recordBytes);
    for (const [shard, entry] of this.index.shards.entries()) {
      const damage = this.damaged.get(shard);
      if (damage) throw damage;
      const bytes = out.subarray(
        shard * recordsPerShard * recordBytes,
        (shard * recordsPerShard + entry.records) * recordBytes,
      );
      await readAt(this.fd(shard), bytes, 0).catch((error: Error) => this.unreadable(shard, error));
      this.compare(shard, CRC32.buf(bytes, 0));
      this.verified.set(shard, Promise.resolve());
    }
    return out;
  }

  /**
   * One record, read now: for the few that a view shows (a page of samples, a prediction's example) and the odd
   * batch taken before its fetch. Not verified first: checking a 64 MB shard to show one image would stall the
   * app, and shown pixels reach no training. A shard already found damaged is refused.
   */
  readOneSync(record: number): Uint8Array {
    const { recordBytes, recordsPerShard } = this.index;
    const shard = this.shardOf(record);
    const damage = this.damaged.get(shard);
    if (damage) throw damage;
    const out = new Uint8Array(recordBytes);
    const got = readSync(this.fd(shard), out, 0, recordBytes, (record % recordsPerShard) * recordBytes);
    if (got !== recordBytes) throw new ShardError(this.folder, this.index.shards[shard]!.file, 'ends early');
    return out;
  }

  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }

  private shardOf(record: number): number {
    if (!Number.isInteger(record) || record < 0 || record >= this.index.records)
      throw new RangeError(`record ${record} is not in 0..${this.index.records - 1}`);
    return Math.floor(record / this.index.recordsPerShard);
  }

  private fd(shard: number): number {
    let fd = this.fds.get(shard);
    if (fd !== undefined) {
      // Most recently used last: Map keeps insertion order.
      this.fds.delete(shard);
      this.fds.set(shard, fd);
      return fd;
    }
    try {
      fd = openSync(join(this.folder, this.index.shards[shard]!.file), 'r');
    } catch (error) {
      throw new ShardError(
        this.folder,
        this.index.shards[shard]!.file,
        `cannot be opened (${(error as Error).message})`,
      );
    }
    this.fds.set(shard, fd);
    if (this.fds.size > OPEN_SHARDS) {
      const [oldest, oldFd] = this.fds.entries().next().value!;
      this.fds.delete(oldest);
      closeSync(oldFd);
    }
    return fd;
  }

  private verify(shard: number): Promise<void> {
    let check = this.verified.get(shard);
    if (!check) {
      check = (async () => {
        let crc = 0;
        for (const [chunk, position] of this.chunks(shard)) {
          await readAt(this.fd(shard), chunk, position).catch((error: Error) => this.unreadable(shard, error));
          crc = CRC32.buf(chunk, crc);
        }
        this.compare(shard, crc);
      })();
      check.catch((error: Error) => this.damaged.set(shard, error));
      this.verified.set(shard, check);
    }
    return check;
  }

  /** The shard in VERIFY_CHUNK pieces, one buffer reused: [bytes to fill, their position]. */
  private *chunks(shard: number): Generator<[Uint8Array, number]> {
    const size = this.index.shards[shard]!.records * this.index.recordBytes;
    const buffer = new Uint8Array(Math.min(VERIFY_CHUNK, size));
    for (let position = 0; position < size; position += buffer.length)
      yield [buffer.subarray(0, Math.min(buffer.length, size - position)), position];
  }

  private compare(shard: number, crc: number): void {
    const entry = this.index.shards[shard]!;
    if (crc !== entry.crc32)
      throw new ShardError(this.folder, entry.file, `is damaged: its CRC-32 is ${crc}, the index says ${entry.crc32}`);
  }

  private unreadable(shard: number, error: Error): never {
    throw new ShardError(this.folder, this.index.shards[shard]!.file, `cannot be read (${error.message})`);
  }
}
