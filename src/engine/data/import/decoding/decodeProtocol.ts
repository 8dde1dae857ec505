import type { ImageTarget } from './imageTarget';

/**
 * What a decode process runs with. libuv's pool of one thread: the process decodes one image at a time, and more
 * threads would only take turns on the same core. Two malloc arenas: libvips' threads otherwise each grow one, and
 * the process with them (30k JPEGs: 470 MB peak with the default, 441 with 2, at the same speed).
 */
export const DECODE_PROCESS_ENV = { UV_THREADPOOL_SIZE: '1', MALLOC_ARENA_MAX: '2' };

/** A chunk of files for one decode process: each becomes a record of `target`, or a failure with its reason. */
export interface DecodeRequest {
  id: number;
  files: string[];
  target: ImageTarget;
  maxFileBytes: number;
}

/** A chunk decoded: the records of the files that decoded, in file order, and why the others did not. */
export interface DecodeReply {
  type: 'decoded';
  id: number;
  /** decoded * recordBytes bytes. */
  records: Uint8Array;
  /** For each file, whether its record is in `records`: 1 decoded, 0 failed. */
  ok: Uint8Array;
  failures: { index: number; reason: string }[];
  /** Sums of each channel's bytes over the decoded records: the dataset's mean pixel without a second pass. */
  channelSums: number[];
  /** The process that decoded it, and its peak resident memory so far: an import's memory counts its decoders'. */
  pid: number;
  peakMemoryBytes: number;
}

/** What a decode process says once, before any reply: the library it decodes with, and why not sharp if not. */
export interface DecoderReady {
  type: 'ready';
  decoder: string;
  note?: string;
}

export type DecodeWorkerMessage = DecoderReady | DecodeReply;
