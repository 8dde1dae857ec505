import type { ShardReader } from './shards/shardReader';

/** A text-classification dataset as loaded: one label index per text. */
export interface TextClassificationData {
  classNames: string[];
  texts: string[];
  labels: Int32Array;
  /** The files' own split, when they came with one: 0 train, 1 test, per text. */
  fileSplit?: Uint8Array;
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
export type TextClassificationDataset = { kind: 'text-classification' } & TextClassificationData;
export type LoadedDataset =
  | TextClassificationDataset
  | ImageClassificationData
  | ShardedImageClassificationData
  | SequenceLabellingData
  | Seq2seqData;
