import * as tf from '@tensorflow/tfjs-core';
import type { ImageInputSpec, ModelSpec, TokenInputSpec } from '../../shared/spec/modelSpec';
import type { TokenizerSettings } from '../../shared/tokenizerSettings';
import { splitDataset, type SplitOptions } from './datasetSplit';
import type {
  ImageClassificationData,
  Seq2seqData,
  SequenceLabellingData,
  TextClassificationDataset,
} from './datasetTypes';
import type { PreparedDataset, SplitName } from './preparedDataset';
import { completeTokenizerSettings, learnTokenizer } from './tokenizers/learnTokenizer';
import { prepareTextClassification } from './textClassification';
import { BOS_ID, DECODER_RESERVED, EOS_ID, PAD_ID, RESERVED, WordVocabulary } from './wordVocabulary';

/** How a dataset is split and its text cut into tokens. */
export interface PreparationOptions extends SplitOptions {
  /** Unset fields come from the dataset (the suggested kind) and the model (the vocabulary size). */
  tokenizer?: Partial<TokenizerSettings>;
}

function tokenInputs(spec: ModelSpec): TokenInputSpec[] {
  return spec.inputs.filter((input): input is TokenInputSpec => input.kind === 'tokens');
}

/** Rows of a split gathered into one int32 [rows, length] tensor. */
function gatherRows(values: Int32Array, rows: ArrayLike<number>, length: number): tf.Tensor2D {
  const out = new Int32Array(rows.length * length);
  for (let i = 0; i < rows.length; i++)
    out.set(values.subarray(rows[i]! * length, (rows[i]! + 1) * length), i * length);
  return tf.tensor2d(out, [rows.length, length], 'int32');
}

function gatherLabels(labels: Int32Array, rows: ArrayLike<number>): tf.Tensor1D {
  return tf.tensor1d(
    Int32Array.from({ length: rows.length }, (_, i) => labels[rows[i]!]!),
    'int32',
  );
}

const byName =
  <T>(parts: Record<SplitName, T>) =>
  (split: SplitName) =>
    parts[split];

export function prepareTextClassificationTask(
  data: TextClassificationDataset,
  spec: ModelSpec,
  options: PreparationOptions,
): PreparedDataset {
  const [input] = tokenInputs(spec);
  if (!input) throw new Error(`the model "${spec.name}" has no token input to read text with`);
  const prepared = prepareTextClassification(data, {
    maxLength: input.maxLength,
    tokenizer: completeTokenizerSettings(options.tokenizer, 'word', input.vocabSize),
    split: splitDataset(data, options),
  });
  const split = byName(prepared);
  return {
    task: 'text-classification',
    classNames: prepared.classNames,
    sequenceOutput: false,
    vocabSizes: { [input.id]: prepared.tokenizer.vocabulary.size },
    counts: { train: prepared.train.count, validation: prepared.validation.count, test: prepared.test.count },
    batch: (name, rows) => ({
      inputs: [gatherRows(split(name).ids, rows, input.maxLength)],
      targets: gatherLabels(split(name).labels, rows),
    }),
    view: (name, row) => ({
      tokens: { [input.id]: split(name).words(row) },
      target: prepared.classNames[split(name).labels[row]!]!,
    }),
    showPrediction: (ids) => prepared.classNames[ids[0]!] ?? String(ids[0]),
    exportInfo: {
      classNames: prepared.classNames,
      vocabularies: { [input.id]: prepared.tokenizer.vocabulary.tokens },
      tokenizer: prepared.tokenizer.exported,
    },
  };
}

export function prepareImageClassificationTask(
  data: ImageClassificationData,
  spec: ModelSpec,
  options: PreparationOptions,
): PreparedDataset {
  const input = spec.inputs.find((i): i is ImageInputSpec => i.kind === 'image');
  if (!input) throw new Error(`the model "${spec.name}" has no image input`);
  const { height, width, channels } = data;
  if (input.height !== height || input.width !== width || input.channels !== channels) {
    throw new Error(
      `the dataset's images are ${height}x${width}x${channels} but the model's input "${input.id}" is ${input.height}x${input.width}x${input.channels}`,
    );
  }
  const pixelsPerImage = height * width * channels;
  if (data.pixels.length !== data.labels.length * pixelsPerImage) {
    throw new Error(
      `the dataset has ${data.labels.length} labels but pixels for ${data.pixels.length / pixelsPerImage} images`,
    );
  }
  const indices = splitDataset(data, options);
  const split = byName(indices);
  return {
    task: 'image-classification',
    classNames: data.classNames,
    sequenceOutput: false,
    vocabSizes: {},
    counts: { train: indices.train.length, validation: indices.validation.length, test: indices.test.length },
    batch: (name, rows) => {
      // uint8 stays in memory; only this batch becomes float32 in [0, 1].
      const images = new Float32Array(rows.length * pixelsPerImage);
      const labels = new Int32Array(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const source = split(name)[rows[i]!]!;
        const pixels = data.pixels.subarray(source * pixelsPerImage, (source + 1) * pixelsPerImage);
        for (let p = 0; p < pixelsPerImage; p++) images[i * pixelsPerImage + p] = pixels[p]! / 255;
        labels[i] = data.labels[source]!;
      }
      return {
        inputs: [tf.tensor4d(images, [rows.length, height, width, channels])],
        targets: tf.tensor1d(labels, 'int32'),
      };
    },
    view: (name, row) => ({ tokens: {}, target: data.classNames[data.labels[split(name)[row]!]!]! }),
    showPrediction: (ids) => data.classNames[ids[0]!] ?? String(ids[0]),
    exportInfo: { classNames: data.classNames, vocabularies: {} },
  };
}

/**
 * Tagging reads the file's own tokens (one tag each), lower-cased; the tokenizer settings give the vocabulary size
 * and minimum frequency. Cutting tagged tokens further into subwords would need a rule for their tags, so 'char',
 * 'bpe' and 'wordpiece' are refused rather than silently ignored.
 */
export function prepareSequenceLabellingTask(
  data: SequenceLabellingData,
  spec: ModelSpec,
  options: PreparationOptions,
): PreparedDataset {
  const [input] = tokenInputs(spec);
  if (!input) throw new Error(`the model "${spec.name}" has no token input`);
  const length = input.maxLength;
  data.sentences.forEach((words, i) => {
    if (words.length !== data.tags[i]?.length)
      throw new Error(`sentence ${i + 1} has ${words.length} tokens but ${data.tags[i]?.length ?? 0} tags`);
  });
  const settings = completeTokenizerSettings(options.tokenizer, 'word', input.vocabSize);
  if (settings.kind !== 'word')
    throw new Error(`sequence labelling reads the file's own tokens: choose the word tokenizer, not ${settings.kind}`);
  const indices = splitDataset(data, options);
  const lower = data.sentences.map((words) => words.map((w) => w.toLowerCase()));
  const vocabulary = WordVocabulary.learn(
    indices.train.map((i) => lower[i]!),
    settings.vocabSize,
    settings.minFrequency,
  );
  const classNames = ['<pad>', ...[...new Set(data.tags.flat())].sort()];
  const tagIds = new Map(classNames.map((tag, id) => [tag, id]));
  const encode = (rows: number[]) => {
    const ids = new Int32Array(rows.length * length);
    const tags = new Int32Array(rows.length * length);
    rows.forEach((source, row) => {
      vocabulary.encodeInto(lower[source]!, length, ids, row * length);
      data.tags[source]!.slice(0, length).forEach((tag, t) => (tags[row * length + t] = tagIds.get(tag)!));
    });
    return { rows, ids, tags };
  };
  const split = byName({
    train: encode(indices.train),
    validation: encode(indices.validation),
    test: encode(indices.test),
  });
  return {
    task: 'sequence-labelling',
    classNames,
    sequenceOutput: true,
    vocabSizes: { [input.id]: vocabulary.size },
    counts: { train: indices.train.length, validation: indices.validation.length, test: indices.test.length },
    batch: (name, rows) => ({
      inputs: [gatherRows(split(name).ids, rows, length)],
      targets: gatherRows(split(name).tags, rows, length),
    }),
    view: (name, row) => {
      const source = split(name).rows[row]!;
      return {
        tokens: { [input.id]: lower[source]!.slice(0, length) },
        target: data.tags[source]!.slice(0, length).join(' '),
      };
    },
    showPrediction: (ids) => Array.from(ids, (id) => classNames[id] ?? '?').join(' '),
    exportInfo: { classNames, vocabularies: { [input.id]: vocabulary.tokens }, tokenizer: { kind: 'word' } },
  };
}

/**
 * Seq2seq: the encoder reads the source; the decoder reads <bos> y1 ... yn and is trained to predict y1 ... yn <eos>
 * (teacher forcing). Source and target have their own vocabularies, learnt on the training split.
 */
export function prepareSeq2seqTask(data: Seq2seqData, spec: ModelSpec, options: PreparationOptions): PreparedDataset {
  const [sourceInput, targetInput] = tokenInputs(spec);
  if (!sourceInput || !targetInput)
    throw new Error(`the model "${spec.name}" needs two token inputs: source and target`);
  if (data.sources.length !== data.targets.length)
    throw new Error(`the dataset has ${data.sources.length} sources but ${data.targets.length} targets`);
  const [sourceLength, targetLength] = [sourceInput.maxLength, targetInput.maxLength];
  const indices = splitDataset(data, options);
  const learn = (texts: string[], vocabSize: number, reserved?: readonly string[]) =>
    learnTokenizer(
      indices.train.map((i) => texts[i]!),
      completeTokenizerSettings(options.tokenizer, data.tokenizer, vocabSize),
      reserved ?? RESERVED,
    );
  const sourceTokenizer = learn(data.sources, sourceInput.vocabSize);
  const targetTokenizer = learn(data.targets, targetInput.vocabSize, DECODER_RESERVED);
  const [sourceVocabulary, targetVocabulary] = [sourceTokenizer.vocabulary, targetTokenizer.vocabulary];
  const sources = data.sources.map(sourceTokenizer.tokenize);
  const targets = data.targets.map(targetTokenizer.tokenize);
  const encode = (rows: number[]) => {
    const source = new Int32Array(rows.length * sourceLength);
    const decoderInput = new Int32Array(rows.length * targetLength);
    const expected = new Int32Array(rows.length * targetLength);
    rows.forEach((index, row) => {
      sourceVocabulary.encodeInto(sources[index]!, sourceLength, source, row * sourceLength);
      const ids = targets[index]!.slice(0, targetLength - 1).map((token) => targetVocabulary.idOf(token));
      decoderInput.set([BOS_ID, ...ids], row * targetLength);
      expected.set([...ids, EOS_ID], row * targetLength);
    });
    return { rows, source, decoderInput, expected };
  };
  const split = byName({
    train: encode(indices.train),
    validation: encode(indices.validation),
    test: encode(indices.test),
  });
  const classNames = [...targetVocabulary.tokens];
  return {
    task: 'seq2seq',
    classNames,
    sequenceOutput: true,
    vocabSizes: { [sourceInput.id]: sourceVocabulary.size, [targetInput.id]: targetVocabulary.size },
    counts: { train: indices.train.length, validation: indices.validation.length, test: indices.test.length },
    batch: (name, rows) => ({
      inputs: [
        gatherRows(split(name).source, rows, sourceLength),
        gatherRows(split(name).decoderInput, rows, targetLength),
      ],
      targets: gatherRows(split(name).expected, rows, targetLength),
    }),
    view: (name, row) => {
      const index = split(name).rows[row]!;
      const target = targets[index]!.slice(0, targetLength - 1);
      return {
        tokens: { [sourceInput.id]: sources[index]!.slice(0, sourceLength), [targetInput.id]: ['<bos>', ...target] },
        target: targetTokenizer.detokenize(target),
      };
    },
    showPrediction: (ids) => {
      const tokens: string[] = [];
      for (const id of Array.from(ids)) {
        if (id === EOS_ID) break;
        if (id !== PAD_ID && id !== BOS_ID) tokens.push(classNames[id] ?? '?');
      }
      return targetTokenizer.detokenize(tokens);
    },
    exportInfo: {
      classNames,
      vocabularies: { [sourceInput.id]: sourceVocabulary.tokens, [targetInput.id]: targetVocabulary.tokens },
      tokenizer: sourceTokenizer.exported,
    },
    decoding: { bos: BOS_ID, eos: EOS_ID, targetLength },
  };
}
