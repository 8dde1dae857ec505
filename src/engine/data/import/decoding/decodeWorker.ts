import { poolPort } from '../../../io/poolPort';
import { readUserFile } from '../userFile';
import { loadDecoder } from './decodeRecord';
import { DECODES_AT_ONCE, type DecodeReply, type DecodeRequest, type DecodeWorkerMessage } from './decodeProtocol';
import { recordBytesOf, type ImageTarget } from './imageTarget';

/**
 * One process of the decode pool: reads each file it is given (regular files only, under a size cap), decodes it to
 * the target record and sends the chunk's records back in one message, with this process's peak memory. A file that
 * fails is a reason, never a crash: the chunk always comes back.
 */
const port = poolPort<DecodeRequest>();

const decoder = await loadDecoder();
port.onMessage(
  (request) =>
    void decodeChunk(request).then((reply) => port.postMessage(reply, [reply.records.buffer as ArrayBuffer])),
);
const ready: DecodeWorkerMessage = {
  type: 'ready',
  decoder: decoder.name,
  ...(decoder.note ? { note: decoder.note } : {}),
};
port.postMessage(ready);

/**
 * libvips keeps one error message for the process: a decode that starts elsewhere the moment one fails can clear it
 * ("Unknown error"). Failures are rare, so a failed decode is tried again, up to twice, for its reason.
 */
async function decodeForReason(bytes: Uint8Array, target: ImageTarget): Promise<Uint8Array> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await decoder.decode(bytes, target);
    } catch (error) {
      if (attempt === 2 || !/^Unknown error/.test((error as Error).message)) throw error;
    }
  }
}

async function decodeChunk({ id, files, target, maxFileBytes }: DecodeRequest): Promise<DecodeReply> {
  const recordBytes = recordBytesOf(target);
  const decoded: (Uint8Array | null)[] = new Array<Uint8Array | null>(files.length).fill(null);
  const failures: DecodeReply['failures'] = [];
  let next = 0;
  const decodeNext = async (): Promise<void> => {
    for (let index = next++; index < files.length; index = next++) {
      try {
        const bytes = await readUserFile(files[index]!, {
          maxBytes: maxFileBytes,
          limitName: 'the limit for one image file',
        });
        decoded[index] = await decodeForReason(bytes, target);
      } catch (error) {
        // libvips ends some messages with a colon and a line of detail, or with nothing after the colon.
        const message = error instanceof Error ? error.message : String(error);
        failures.push({ index, reason: message.split('\n')[0]!.replace(/[:\s]+$/, '') });
      }
    }
  };
  await Promise.all(Array.from({ length: DECODES_AT_ONCE }, decodeNext));
  // In file order, whichever finished first.
  const ok = Uint8Array.from(decoded, (record) => (record ? 1 : 0));
  const records = new Uint8Array(ok.reduce((n, v) => n + v, 0) * recordBytes);
  const channelSums = new Array<number>(target.channels).fill(0);
  let at = 0;
  for (const record of decoded) {
    if (!record) continue;
    records.set(record, at);
    at += recordBytes;
    for (let i = 0; i < record.length; i++) channelSums[i % target.channels]! += record[i]!;
  }
  failures.sort((a, b) => a.index - b.index);
  return {
    type: 'decoded',
    id,
    records,
    ok,
    failures,
    channelSums,
    pid: process.pid,
    peakMemoryBytes: process.resourceUsage().maxRSS * 1024,
  };
}
