import type { ImageTarget } from './imageTarget';

/** A chunk of files for one decode worker: each becomes a record of `target`, or a failure with its reason. */
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
  /** decoded * recordBytes bytes, transferred, not copied. */
  records: Uint8Array;
  /** For each file, whether its record is in `records`: 1 decoded, 0 failed. */
  ok: Uint8Array;
  failures: { index: number; reason: string }[];
  /** Sums of each channel's bytes over the decoded records: the dataset's mean pixel without a second pass. */
  channelSums: number[];
}

/** What a worker says once, before any reply: the library it decodes with, and why not sharp if not. */
export interface DecoderReady {
  type: 'ready';
  decoder: string;
  note?: string;
}

export type DecodeWorkerMessage = DecoderReady | DecodeReply;
