import { stratifiedSplit } from './stratifiedSplit';
import { tokenizeWords, WordVocabulary } from './wordVocabulary';

/** A text-classification dataset as loaded: one label index per text. */
export interface TextClassificationData {
  classNames: string[];
  texts: string[];
  labels: Int32Array;
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
  vocabulary: WordVocabulary;
  train: EncodedTextSplit;
  validation: EncodedTextSplit;
  test: EncodedTextSplit;
}

export interface TextPreparationOptions {
  maxLength: number;
  vocabSize: number;
  validationFraction: number;
  testFraction: number;
  seed: number;
}

/** Splits (stratified, seeded), learns the vocabulary on the training split only, and encodes every split. */
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
  const split = stratifiedSplit(
    data.labels,
    { validation: options.validationFraction, test: options.testFraction },
    options.seed,
  );
  const words = data.texts.map((text) => tokenizeWords(text));
  const vocabulary = WordVocabulary.learn(
    split.train.map((i) => words[i]!),
    options.vocabSize,
  );
  const encode = (indices: number[]): EncodedTextSplit => {
    const ids = new Int32Array(indices.length * options.maxLength);
    const labels = new Int32Array(indices.length);
    indices.forEach((source, row) => {
      vocabulary.encodeInto(words[source]!, options.maxLength, ids, row * options.maxLength);
      labels[row] = data.labels[source]!;
    });
    return {
      count: indices.length,
      ids,
      labels,
      words: (index) => words[indices[index]!]!.slice(0, options.maxLength),
    };
  };
  return {
    classNames: data.classNames,
    maxLength: options.maxLength,
    vocabulary,
    train: encode(split.train),
    validation: encode(split.validation),
    test: encode(split.test),
  };
}
