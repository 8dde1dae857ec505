import * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec } from '../../../shared/architecture/modelSpec';
import type { TextClassificationDataset } from '../datasetTypes';
import type { PreparedDataset } from '../preparedDataset';
import { splitDataset } from '../split/datasetSplit';
import { learnTextFields } from '../tasks/taskText';
import { PAD_ID, UNKNOWN_ID } from '../tokenizers/wordVocabulary';
import { byName, encodeSplits, gatherLabels, gatherRows, splitCounts } from './gatherRows';
import { tokenInputs, type PreparationOptions } from './preparationOptions';
import { shardedRows } from './shardedRows';
import { encodeTokens, textOf } from './userExample';

/** Text classification: the text's token ids [B, T] in, the class [B] out. */
export function prepareTextClassificationTask(
  data: TextClassificationDataset,
  spec: ModelSpec,
  options: PreparationOptions,
): PreparedDataset {
  const [input] = tokenInputs(spec);
  if (!input) throw new Error(`the model "${spec.name}" has no token input to read text with`);
  const count = data.shards ? data.shards.count : data.texts.length;
  if (count !== data.labels.length) {
    throw new Error(`dataset has ${count} texts but ${data.labels.length} labels`);
  }
  if (new Set(data.labels).size < 2) {
    throw new Error(`dataset has a single class (${data.classNames[data.labels[0] ?? 0] ?? '?'}): nothing to learn`);
  }
  const indices = splitDataset(data, options);
  const [field] = learnTextFields(data, indices.train, options.tokenizer, [input]);
  const { tokenizer } = field!;
  const length = input.maxLength;
  const common = {
    task: 'text-classification' as const,
    classNames: data.classNames,
    sequenceOutput: false,
    vocabSizes: { [input.id]: tokenizer.vocabulary.size },
    counts: splitCounts(indices),
    encode: (example: Parameters<PreparedDataset['encode']>[0]) => {
      const { tokens, ids } = encodeTokens(textOf(example, 'classifies text'), tokenizer, input);
      return { inputs: [ids], tokens: { [input.id]: tokens } };
    },
    showPrediction: (ids: ArrayLike<number>) => data.classNames[ids[0]!] ?? String(ids[0]),
    exportInfo: {
      classNames: data.classNames,
      vocabularies: { [input.id]: tokenizer.vocabulary.tokens },
      tokenizer: tokenizer.exported,
    },
  };
  if (data.shards) {
    // Stored ids: the model reads the first `length` of each record, and ids past its vocabulary as <unk>.
    const vocabSize = tokenizer.vocabulary.size;
    const stored = data.maxTokens;
    const sharded = shardedRows(data.shards, indices, { record: 'tokens', shape: [stored], length, vocabSize });
    const split = byName(indices);
    return {
      ...common,
      ...sharded.prepared,
      batch: (name, rows) => {
        const bytes = sharded.take(name, rows);
        const records = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
        const ids = new Int32Array(rows.length * length).fill(PAD_ID);
        for (let i = 0; i < rows.length; i++)
          for (let t = 0; t < Math.min(length, stored); t++) {
            const id = records[i * stored + t]!;
            ids[i * length + t] = id < vocabSize ? id : UNKNOWN_ID;
          }
        return {
          inputs: [tf.tensor2d(ids, [rows.length, length], 'int32')],
          targets: gatherLabels(
            data.labels,
            Array.from(rows, (row) => split(name)[row]!),
          ),
        };
      },
      view: (name, row) => {
        const source = split(name)[row]!;
        return {
          tokens: { [input.id]: field!.tokens(source).slice(0, length) },
          target: data.classNames[data.labels[source]!]!,
        };
      },
    };
  }
  const { texts } = data;
  const encode = (rows: number[]) => {
    const ids = new Int32Array(rows.length * length);
    const labels = new Int32Array(rows.length);
    const words = rows.map((source) => tokenizer.tokenize(texts[source]!).slice(0, length));
    rows.forEach((source, row) => {
      tokenizer.vocabulary.encodeInto(words[row]!, length, ids, row * length);
      labels[row] = data.labels[source]!;
    });
    return { ids, labels, words };
  };
  const split = encodeSplits(indices, encode);
  return {
    ...common,
    batch: (name, rows) => ({
      inputs: [gatherRows(split(name).ids, rows, length)],
      targets: gatherLabels(split(name).labels, rows),
    }),
    view: (name, row) => ({
      tokens: { [input.id]: split(name).words[row]! },
      target: data.classNames[split(name).labels[row]!]!,
    }),
  };
}
