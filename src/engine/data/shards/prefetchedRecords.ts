import type { ShardReader } from './shardReader';

/** Batches read ahead and not yet taken; beyond it the oldest is dropped (its batch is then read when taken). */
const HELD_BATCHES = 4;

/**
 * Records fetched ahead of the step that needs them: `fetch` starts reading a batch's records through libuv's
 * thread pool (so the disk works while the current step computes) and `take` hands them over synchronously once
 * they are in. A batch taken before it was fetched, or before its read finished, is read there and then: slower,
 * never wrong.
 */
export class PrefetchedRecords {
  private readonly pending = new Map<string, Promise<Uint8Array>>();
  private readonly ready = new Map<string, Uint8Array>();

  constructor(private readonly reader: ShardReader) {}

  fetch(key: string, records: ArrayLike<number>): Promise<void> {
    let read = this.pending.get(key);
    if (!read) {
      read = this.reader.read(records);
      this.pending.set(key, read);
      read.then(
        (bytes) => this.pending.has(key) && this.ready.set(key, bytes),
        () => this.pending.delete(key),
      );
      if (this.pending.size > HELD_BATCHES) this.drop(this.pending.keys().next().value!);
    }
    return read.then(() => undefined);
  }

  take(key: string, records: ArrayLike<number>): Uint8Array {
    const bytes = this.ready.get(key);
    this.drop(key);
    if (bytes) return bytes;
    const { recordBytes } = this.reader;
    const out = new Uint8Array(records.length * recordBytes);
    for (let i = 0; i < records.length; i++) out.set(this.reader.readOneSync(records[i]!), i * recordBytes);
    return out;
  }

  private drop(key: string): void {
    this.pending.delete(key);
    this.ready.delete(key);
  }
}
