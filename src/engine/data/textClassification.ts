import type { SplitIndices } from './stratifiedSplit';
import { learnTokenizer, type LearntTokenizerSettings, type Tokenizer } from './tokenizers/learnTokenizer';
import { RESERVED } from './wordVocabulary';

/** A text-classification dataset as loaded: one label index per text. */
export interface TextClassificationData {
  classNames: string[];
  texts: string[];
  labels: Int32Array;
  /** The files' own split, when they came with one: 0 train, 1 test, per text. */
  fileSplit?: Uint8Array;
}

/** One split, encoded: ids is [count, maxLength] row-major, padded with 0. */
export interface EncodedTextSplit {
  count: number;
  ids: Int32Array;
  labels: Int32Array;
  /** The words of each example as the tokenizer cut them (up to maxLength), for labelling attention maps. */
  words: (index: number) => string[];
}

export interface PreparedTextClassification {
  classNames: string[];
  maxLength: number;
  tokenizer: Tokenizer;
  train: EncodedTextSplit;
  validation: EncodedTextSplit;
  test: EncodedTextSplit;
}

export interface TextPreparationOptions {
  maxLength: number;
  tokenizer: LearntTokenizerSettings;
  split: SplitIndices;
}

/** Learns the tokenizer on the training split only, and encodes every split. */
export function prepareTextClassification(
  data: TextClassificationData,
  options: TextPreparationOptions,
): PreparedTextClassification {
  if (data.texts.length !== data.labels.length) {
    throw new Error(`dataset has ${data.texts.length} texts but ${data.labels.length} labels`);
  }
  const classesPresent = new Set(data.labels);
  if (classesPresent.size < 2) {
    throw new Error(`dataset has a single class (${data.classNames[data.labels[0] ?? 0] ?? '?'}): nothing to learn`);
  }
  const { split } = options;
  const tokenizer = learnTokenizer(
    split.train.map((i) => data.texts[i]!),
    options.tokenizer,
    RESERVED,
  );
  const encode = (indices: number[]): EncodedTextSplit => {
    const ids = new Int32Array(indices.length * options.maxLength);
    const labels = new Int32Array(indices.length);
    const words = indices.map((source) => tokenizer.tokenize(data.texts[source]!).slice(0, options.maxLength));
    indices.forEach((source, row) => {
      tokenizer.vocabulary.encodeInto(words[row]!, options.maxLength, ids, row * options.maxLength);
      labels[row] = data.labels[source]!;
    });
    return { count: indices.length, ids, labels, words: (index) => words[index]! };
  };
  return {
    classNames: data.classNames,
    maxLength: options.maxLength,
    tokenizer,
    train: encode(split.train),
    validation: encode(split.validation),
    test: encode(split.test),
  };
}
