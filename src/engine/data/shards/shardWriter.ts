import CRC32 from 'crc-32';
import * as fs from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { recordsPerShardFor, shardFileName, type ShardIndex } from './shardFormat';

/**
 * Appends records to shards in a folder the caller writes atomically (the whole dataset is renamed into place when
 * complete), keeping each shard's CRC-32 as its bytes go by. Memory is one shard's handle, never its contents.
 */
export class ShardWriter {
  readonly recordsPerShard: number;
  private readonly shards: ShardIndex['shards'] = [];
  private handle: FileHandle | null = null;
  private inShard = 0;
  private crc = 0;
  private records = 0;

  constructor(
    private readonly folder: string,
    readonly record: ShardIndex['record'],
    readonly recordBytes: number,
    recordsPerShard = recordsPerShardFor(recordBytes),
    /** Where shards are opened: the file system, or a test's that fails on purpose. */
    private readonly files: Pick<typeof fs, 'open'> = fs,
  ) {
    this.recordsPerShard = recordsPerShard;
  }

  /** Appends whole records (bytes.length a multiple of recordBytes), opening new shards as they fill. */
  async append(bytes: Uint8Array): Promise<void> {
    if (bytes.length % this.recordBytes !== 0)
      throw new Error(`${bytes.length} bytes are not whole records of ${this.recordBytes}`);
    let at = 0;
    while (at < bytes.length) {
      if (!this.handle) {
        this.handle = await this.files.open(join(this.folder, shardFileName(this.shards.length)), 'wx');
        this.inShard = 0;
        this.crc = 0;
      }
      const take = Math.min((this.recordsPerShard - this.inShard) * this.recordBytes, bytes.length - at);
      const part = bytes.subarray(at, at + take);
      await this.handle.write(part);
      this.crc = CRC32.buf(part, this.crc);
      this.inShard += take / this.recordBytes;
      this.records += take / this.recordBytes;
      at += take;
      if (this.inShard === this.recordsPerShard) await this.closeShard();
    }
  }

  /** Closes the last shard and returns the index: what shards.json holds. */
  async finish(): Promise<ShardIndex> {
    await this.closeShard();
    return {
      version: 1,
      record: this.record,
      recordBytes: this.recordBytes,
      recordsPerShard: this.recordsPerShard,
      records: this.records,
      shards: this.shards,
    };
  }

  /** Closes the open shard without an index: after a failure, before the folder is removed. */
  async abandon(): Promise<void> {
    await this.handle?.close().catch(() => undefined);
    this.handle = null;
  }

  private async closeShard(): Promise<void> {
    if (!this.handle) return;
    // Data reach the disk before the index that vouches for them is written (and the folder renamed).
    await this.handle.sync();
    await this.handle.close();
    this.handle = null;
    this.shards.push({ file: shardFileName(this.shards.length), records: this.inShard, crc32: this.crc });
  }
}
