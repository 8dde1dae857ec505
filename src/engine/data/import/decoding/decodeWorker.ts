import { parentPort } from 'node:worker_threads';
import { readUserFile } from '../userFile';
import { loadDecoder } from './decodeRecord';
import type { DecodeReply, DecodeRequest, DecodeWorkerMessage } from './decodeProtocol';
import { recordBytesOf } from './imageTarget';

/**
 * One thread of the decode pool: reads each file it is given (regular files only, under a size cap), decodes it to
 * the target record and sends the chunk's records back in one transferred buffer. A file that fails is a reason,
 * never a crash: the chunk always comes back.
 */
const port = parentPort!;
const send = (message: DecodeWorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

const decoder = await loadDecoder();
send({ type: 'ready', decoder: decoder.name, ...(decoder.note ? { note: decoder.note } : {}) });

port.on(
  'message',
  (request: DecodeRequest) =>
    void decodeChunk(request).then((reply) => send(reply, [reply.records.buffer as ArrayBuffer])),
);

async function decodeChunk({ id, files, target, maxFileBytes }: DecodeRequest): Promise<DecodeReply> {
  const recordBytes = recordBytesOf(target);
  const records = new Uint8Array(files.length * recordBytes);
  const ok = new Uint8Array(files.length);
  const failures: DecodeReply['failures'] = [];
  const channelSums = new Array<number>(target.channels).fill(0);
  let decoded = 0;
  // The next file is read while this one decodes: the disk and the decoder overlap.
  const read = (path: string) =>
    readUserFile(path, { maxBytes: maxFileBytes, limitName: 'the limit for one image file' }).then(
      (bytes) => ({ bytes }),
      (error: Error) => ({ error }),
    );
  let next = files.length > 0 ? read(files[0]!) : null;
  for (let index = 0; index < files.length; index++) {
    const current = await next!;
    next = index + 1 < files.length ? read(files[index + 1]!) : null;
    try {
      if ('error' in current) throw current.error;
      const record = await decoder.decode(current.bytes, target);
      records.set(record, decoded * recordBytes);
      for (let i = 0; i < record.length; i++) channelSums[i % target.channels]! += record[i]!;
      ok[index] = 1;
      decoded++;
    } catch (error) {
      // libvips ends some messages with a colon and a line of detail, or with nothing after the colon.
      const message = error instanceof Error ? error.message : String(error);
      failures.push({ index, reason: message.split('\n')[0]!.replace(/[:\s]+$/, '') });
    }
  }
  return { type: 'decoded', id, records: records.slice(0, decoded * recordBytes), ok, failures, channelSums };
}
