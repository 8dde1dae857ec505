import type { ThreadReady } from '../../../io/threadPool';
import type { RecordLayout } from './chunkRecords';
import type { RecordChunk } from './recordChunks';

/** How a streamed text import cuts text: words (lower-cased, as the in-memory word tokenizer) or characters. */
export type StreamedTokenizerKind = 'word' | 'char';

/** Sent to every thread first: the file (for messages) and how its records are laid out. */
export interface SetupMessage {
  type: 'setup';
  file: string;
  layout: RecordLayout;
}

/** Sent to every thread before the second pass: the vocabulary, most frequent first (id = position), the classes. */
export interface VocabularyMessage {
  type: 'vocabulary';
  kind: StreamedTokenizerKind;
  tokens: string[];
  classNames: string[];
}

/** A chunk of whole records; `first` when it starts the file (and may start with the header row). */
interface ChunkRequest {
  id: number;
  chunk: RecordChunk;
  first: boolean;
}

/** The first pass: count the chunk's tokens and labels. */
export interface CountRequest extends ChunkRequest {
  pass: 'count';
  kind: StreamedTokenizerKind;
}

/** The second pass: each text's first `maxTokens` token ids (0-padded), its whole length, its class. */
export interface EncodeRequest extends ChunkRequest {
  pass: 'encode';
  maxTokens: number;
}

/** The end of the first pass: every token the thread counted, and how exact its counts are. */
export interface CountsRequest {
  id: number;
  pass: 'counts';
}

export type TokenizeRequest = CountRequest | EncodeRequest | CountsRequest;

/** A chunk that could not be read: where in the file and what is wrong. */
export interface ChunkFailure {
  id: number;
  failure: { where: string | null; problem: string };
}

/**
 * A chunk's labels with how often each came, and its number of records. Its tokens are counted in the thread until
 * the pass ends (merging every chunk's counts on the coordinating thread would make it the bottleneck).
 */
export interface CountReply {
  id: number;
  labels: string[];
  labelCounts: Uint32Array;
  records: number;
}

/** A chunk's records (texts * maxTokens uint32 ids, transferred), each text's length before it was cut, classes. */
export interface EncodeReply {
  id: number;
  ids: Uint32Array;
  lengths: Uint32Array;
  labels: Int32Array;
}

/** A thread's token counts over the chunks it was given (bounded as BoundedCounts bounds them). */
export interface CountsReply {
  id: number;
  tokens: string[];
  counts: Float64Array;
  floor: number;
  total: number;
}

export type TokenizeReply = CountReply | EncodeReply | CountsReply | ChunkFailure;
export type TokenizerReady = ThreadReady;
