import type { TokenizerKind } from '../../../shared/tokenizerSettings';
import type { LoadedDataset } from '../datasetTypes';
import type { LearntTokenizerSettings, Tokenizer } from '../tokenizers/learnTokenizer';

/**
 * One text field of a task's examples, read by one token input of the model (the spec's token inputs in order):
 * what its text is, and how its tokenizer is learnt. Training (tensors/) and inspection (inspection/) both cut text
 * through these descriptions, so the Datasets view shows exactly the tokens the model will read.
 */
export interface TextField<D> {
  name: string;
  /** The text of one example (a tagged sentence: its tokens joined by spaces). */
  text(data: D, index: number): string;
  /** The tokens of one example as the tokenizer cuts them; stored tokens where the text is not kept. */
  tokens?(data: D, index: number, tokenizer: Tokenizer): string[];
  /** Learns this field's tokenizer on the training rows only. */
  learn(data: D, trainRows: readonly number[], settings: LearntTokenizerSettings): Tokenizer;
}

/** What a task's data holds as text, and the tokenizer that suits it when the user chose none. */
export interface TaskText<D> {
  fields: TextField<D>[];
  suggestedTokenizer(data: D): TokenizerKind;
}

export type DataOf<K extends LoadedDataset['kind']> = Extract<LoadedDataset, { kind: K }>;
