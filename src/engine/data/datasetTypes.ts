import type { ShardReader } from './shards/shardReader';

/** A text-classification dataset as loaded: one label index per text. */
export interface TextClassificationData {
  classNames: string[];
  texts: string[];
  labels: Int32Array;
  /** The files' own split, when they came with one: 0 train, 1 test, per text. */
  fileSplit?: Uint8Array;
  shards?: undefined;
}

/**
 * Texts too many to hold (a big CSV/TSV/JSONL file, streamed at import): each text's first `maxTokens` token ids in
 * shards on disk, cut by the tokenizer and vocabulary learnt at import, and read a batch at a time as images are.
 */
export interface ShardedTextClassificationData {
  classNames: string[];
  texts?: undefined;
  labels: Int32Array;
  fileSplit?: undefined;
  shards: ShardReader;
  /** Each text's length in tokens before it was cut. */
  lengths: Uint32Array;
  tokenizer: 'word' | 'char';
  /**
   * Most frequent first (id = position), with each token's count over the file (a smaller vocabulary is a prefix)
   * and the file's number of tokens.
   */
  vocabulary: { tokens: string[]; counts: number[]; total: number };
  maxTokens: number;
}

/** Images as loaded: uint8 pixels [count, height, width, channels], row-major; float32 only one batch at a time. */
export interface ImageClassificationData {
  kind: 'image-classification';
  classNames: string[];
  height: number;
  width: number;
  channels: number;
  pixels: Uint8Array;
  shards?: undefined;
  labels: Int32Array;
  /** The files' own split, when they came with one: 0 train, 1 test, per image. */
  fileSplit?: Uint8Array;
}

/**
 * Images too many to hold: labels in memory (4 bytes each), pixels in shards on disk, read a batch at a time and
 * fetched ahead of the step that needs them. The records are uint8 [height, width, channels], as `pixels` would be.
 */
export interface ShardedImageClassificationData {
  kind: 'image-classification';
  classNames: string[];
  height: number;
  width: number;
  channels: number;
  pixels?: undefined;
  shards: ShardReader;
  labels: Int32Array;
  /** The mean of each channel, measured while importing (a pass over the shards would read them all). */
  meanPixel: number[];
  fileSplit?: undefined;
}

/** Sentences already cut into tokens, with one tag per token. */
export interface SequenceLabellingData {
  kind: 'sequence-labelling';
  sentences: string[][];
  tags: string[][];
}

/** Source/target text pairs, and how to cut them into tokens. */
export interface Seq2seqData {
  kind: 'seq2seq';
  sources: string[];
  targets: string[];
  /** The tokenizer that suits the text: 'char' for strings like dates and for CJK text, 'word' otherwise. */
  tokenizer: 'char' | 'word';
}

/** Any dataset as a loader returns it, tagged with its task. */
export type TextClassificationDataset = { kind: 'text-classification' } & (
  TextClassificationData | ShardedTextClassificationData
);
/** Data whose records are in shards on disk, which its reader holds open. */
export type ShardedDataset =
  ShardedImageClassificationData | ({ kind: 'text-classification' } & ShardedTextClassificationData);
export type LoadedDataset =
  | TextClassificationDataset
  | ImageClassificationData
  | ShardedImageClassificationData
  | SequenceLabellingData
  | Seq2seqData;
