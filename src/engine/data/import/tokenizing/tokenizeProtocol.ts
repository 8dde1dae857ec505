import type { ThreadReady } from '../../../io/threadPool';

/** How a streamed text import cuts text: words (lower-cased, as the in-memory word tokenizer) or characters. */
export type StreamedTokenizerKind = 'word' | 'char';

/** The first pass: count the tokens of a batch of texts. */
export interface CountRequest {
  id: number;
  pass: 'count';
  kind: StreamedTokenizerKind;
  texts: string[];
}

/** The second pass: each text's first `maxTokens` token ids (0-padded) and its whole length in tokens. */
export interface EncodeRequest {
  id: number;
  pass: 'encode';
  texts: string[];
  maxTokens: number;
}

export type TokenizeRequest = CountRequest | EncodeRequest;

/** Sent to every thread before the second pass: the vocabulary, most frequent first (id = position). */
export interface VocabularyMessage {
  type: 'vocabulary';
  kind: StreamedTokenizerKind;
  tokens: string[];
}

/** A batch's token counts: distinct tokens and how often each came, and the batch's number of tokens. */
export interface CountReply {
  id: number;
  tokens: string[];
  counts: Uint32Array;
  total: number;
}

/** A batch's records (texts * maxTokens uint32 ids, transferred) and each text's length before it was cut. */
export interface EncodeReply {
  id: number;
  ids: Uint32Array;
  lengths: Uint32Array;
}

export type TokenizeReply = CountReply | EncodeReply;
export type TokenizerReady = ThreadReady;
