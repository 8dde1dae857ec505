import { fullGarbageCollection } from '../../../io/fullGarbageCollection';
import { poolPort } from '../../../io/poolPort';
import { readRegularFileSync } from '../userFile';
import { loadDecoder } from './decodeRecord';
import type { DecodeReply, DecodeRequest, DecodeWorkerMessage } from './decodeProtocol';
import { recordBytesOf } from './imageTarget';

/**
 * One process of the decode pool: reads each file it is given (regular files only, under a size cap), decodes it to
 * the target record and sends the chunk's records back in one message, with this process's peak memory. A file that
 * fails is a reason, never a crash: the chunk always comes back.
 */
const port = poolPort<DecodeRequest>();

const decoder = await loadDecoder();
// Chunks one after the other, in the order they came: the coordinator sends the next before this one is done, so
// that none idles waiting for it, and decoding both at once would only take turns on the same core. One decode at a
// time also keeps libvips' one error message per process to the decode that failed.
let previous = Promise.resolve();
// Each image leaves libvips' output buffer, and each chunk its records, as garbage outside the heap, which V8 would
// let grow by tens of MB a process, and with the file count (30k JPEGs: 75 to 116 MB). Collected every 8 chunks
// instead: 84-91 MB throughout, at the same speed (10k JPEGs, median of 4: 713 images/s against 712; a collection
// every chunk: 680).
const collectGarbage = fullGarbageCollection();
const CHUNKS_PER_COLLECTION = 8;
let chunks = 0;
port.onMessage((request) => {
  previous = previous
    .then(() => decodeChunk(request))
    .then((reply) => {
      port.postMessage(reply, [reply.records.buffer as ArrayBuffer]);
      if (++chunks % CHUNKS_PER_COLLECTION === 0) collectGarbage();
    });
});
const ready: DecodeWorkerMessage = {
  type: 'ready',
  decoder: decoder.name,
  ...(decoder.note ? { note: decoder.note } : {}),
};
port.postMessage(ready);

/**
 * The file being decoded, read into the largest buffer yet up to 16 MB: a new one per file would leave each to the
 * garbage collector, and the process's memory to how late it runs (10k JPEGs: 12 MB more a process). A bigger file
 * gets a buffer of its own, not kept.
 */
const MAX_SCRATCH_BYTES = 16 * 1024 * 1024;
let scratch: Uint8Array = new Uint8Array(256 * 1024);

/** Adds each channel's bytes over one record (channels interleaved) into `sums`. */
function addChannelSums(record: Uint8Array, sums: number[]): void {
  for (let channel = 0; channel < sums.length; channel++) {
    let sum = 0;
    for (let i = channel; i < record.length; i += sums.length) sum += record[i]!;
    sums[channel]! += sum;
  }
}

/**
 * One file at a time, read synchronously: the process has nothing else to do meanwhile, and each hand-off to another
 * thread costs a wake-up (4 x 1,500 JPEGs, two processes at once: 2.2-2.3 ms an image this way, 2.6-2.9 with two
 * decodes at once and asynchronous reads; 10k JPEGs through `npm run import`: 784 images/s against 647).
 */
async function decodeChunk({ id, files, target, maxFileBytes }: DecodeRequest): Promise<DecodeReply> {
  const recordBytes = recordBytesOf(target);
  const ok = new Uint8Array(files.length);
  const records = new Uint8Array(files.length * recordBytes);
  const failures: DecodeReply['failures'] = [];
  const channelSums = new Array<number>(target.channels).fill(0);
  let decoded = 0;
  for (const [index, file] of files.entries()) {
    try {
      const bytes = readRegularFileSync(
        file,
        { maxBytes: maxFileBytes, limitName: 'the limit for one image file' },
        scratch,
      );
      if (bytes.buffer !== scratch.buffer && bytes.buffer.byteLength <= MAX_SCRATCH_BYTES)
        scratch = new Uint8Array(bytes.buffer);
      const record = await decoder.decode(bytes, target);
      records.set(record, decoded * recordBytes);
      addChannelSums(record, channelSums);
      ok[index] = 1;
      decoded++;
    } catch (error) {
      // libvips ends some messages with a colon and a line of detail, or with nothing after the colon.
      const message = error instanceof Error ? error.message : String(error);
      failures.push({ index, reason: message.split('\n')[0]!.replace(/[:\s]+$/, '') });
    }
  }
  return {
    type: 'decoded',
    id,
    // Every file decoded is the rule; a copy of the decoded part otherwise, so that only it is sent.
    records: decoded === files.length ? records : records.slice(0, decoded * recordBytes),
    ok,
    failures,
    channelSums,
    pid: process.pid,
    peakMemoryBytes: process.resourceUsage().maxRSS * 1024,
  };
}
