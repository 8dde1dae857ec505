import type * as tf from '@tensorflow/tfjs-core';
import type { Task } from '../../shared/architecture/modelSpec';
import type { DecodedExample } from '../../shared/prediction';
import type { TokenizerExport } from './tokenizers/learnTokenizer';
import type { ShardReference } from '../../export/pytorch/trainingFiles';

export type { SplitName } from '../../shared/datasetInspection';
import type { SplitName } from '../../shared/datasetInspection';

/** One batch on the device: the model's inputs in spec order, and int32 targets [B] or [B, T]. */
export interface Batch {
  inputs: tf.Tensor[];
  targets: tf.Tensor;
}

/** An example the user brings (typed text, an image of any size), not a row of the dataset. */
export type UserExample = Exclude<DecodedExample, { kind: 'sample' }>;

/** One example as the model reads it: its batch of one, and the tokens of each token input. */
export interface EncodedExample {
  inputs: tf.Tensor[];
  tokens: Record<string, string[]>;
}

/** What the attention views and the CLI show about one example. */
export interface ExampleView {
  /** The tokens of each token input (its real, unpadded positions), by input id. */
  tokens: Record<string, string[]>;
  /** The right answer as text: a class name, tags, or the target sentence. */
  target: string;
}

/** Random shifts of a training batch's images: up to `shift` pixels per axis, drawn from `seed`. */
export interface Augmentation {
  shift: number;
  seed: number;
}

/** What an exported model needs beside its weights to be fed and read. */
export interface ExportVocabularies {
  classNames: string[];
  /** Token of each id, per token input. */
  vocabularies: Record<string, readonly string[]>;
  tokenizer?: TokenizerExport;
}

/**
 * A dataset split, encoded and bound to a spec's inputs, ready for any trainer: classification (targets [B]) or a
 * per-token task (targets [B, T], where 0 is padding and counts neither in the loss nor in the accuracy).
 */
export interface PreparedDataset {
  task: Task;
  /** The output classes: labels, tags ('<pad>' first) or target tokens. */
  classNames: string[];
  sequenceOutput: boolean;
  /** Vocabulary size of each token input, by spec input id. */
  vocabSizes: Record<string, number>;
  counts: Record<SplitName, number>;
  /** `augment`: training only, a random shift of each image (image tasks; the others have nothing to shift). */
  batch(split: SplitName, rows: ArrayLike<number>, augment?: Augmentation): Batch;
  /**
   * Data on disk (sharded images): starts reading the rows' records so that `batch` with the same rows reads
   * nothing; resolves when they are in. Absent for data in memory.
   */
  fetch?(split: SplitName, rows: ArrayLike<number>): Promise<void>;
  /** Data on disk: an epoch's order of the training rows that reads the shards in turn (see shardwiseOrder). */
  trainingOrder?(random: () => number): number[];
  /** Data on disk: where the shards are and the records of each split, for an export that references them. */
  shards?: ShardReference;
  view(split: SplitName, row: number): ExampleView;
  /** The user's own example encoded as the training rows are (same tokenizer, vocabulary, image scaling). */
  encode(example: UserExample): EncodedExample;
  /** Turns the predicted class ids of one example (one id, or one per position) into text. */
  showPrediction(ids: ArrayLike<number>): string;
  exportInfo: ExportVocabularies;
  /** Seq2seq only: what decoding needs. */
  decoding?: { bos: number; eos: number; targetLength: number };
}
