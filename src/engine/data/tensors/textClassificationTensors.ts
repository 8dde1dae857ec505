import type { ModelSpec } from '../../../shared/architecture/modelSpec';
import type { TextClassificationDataset } from '../datasetTypes';
import type { PreparedDataset } from '../preparedDataset';
import { splitDataset } from '../split/datasetSplit';
import { learnTextFields } from '../tasks/taskText';
import { encodeSplits, gatherLabels, gatherRows, splitCounts } from './gatherRows';
import { tokenInputs, type PreparationOptions } from './preparationOptions';
import { encodeTokens, textOf } from './userExample';

/** Text classification: the text's token ids [B, T] in, the class [B] out. */
export function prepareTextClassificationTask(
  data: TextClassificationDataset,
  spec: ModelSpec,
  options: PreparationOptions,
): PreparedDataset {
  const [input] = tokenInputs(spec);
  if (!input) throw new Error(`the model "${spec.name}" has no token input to read text with`);
  if (data.texts.length !== data.labels.length) {
    throw new Error(`dataset has ${data.texts.length} texts but ${data.labels.length} labels`);
  }
  if (new Set(data.labels).size < 2) {
    throw new Error(`dataset has a single class (${data.classNames[data.labels[0] ?? 0] ?? '?'}): nothing to learn`);
  }
  const indices = splitDataset(data, options);
  const [field] = learnTextFields(data, indices.train, options.tokenizer, [input]);
  const { tokenizer } = field!;
  const length = input.maxLength;
  const encode = (rows: number[]) => {
    const ids = new Int32Array(rows.length * length);
    const labels = new Int32Array(rows.length);
    const words = rows.map((source) => tokenizer.tokenize(data.texts[source]!).slice(0, length));
    rows.forEach((source, row) => {
      tokenizer.vocabulary.encodeInto(words[row]!, length, ids, row * length);
      labels[row] = data.labels[source]!;
    });
    return { ids, labels, words };
  };
  const split = encodeSplits(indices, encode);
  return {
    task: 'text-classification',
    classNames: data.classNames,
    sequenceOutput: false,
    vocabSizes: { [input.id]: tokenizer.vocabulary.size },
    counts: splitCounts(indices),
    batch: (name, rows) => ({
      inputs: [gatherRows(split(name).ids, rows, length)],
      targets: gatherLabels(split(name).labels, rows),
    }),
    view: (name, row) => ({
      tokens: { [input.id]: split(name).words[row]! },
      target: data.classNames[split(name).labels[row]!]!,
    }),
    encode: (example) => {
      const { tokens, ids } = encodeTokens(textOf(example, 'classifies text'), tokenizer, input);
      return { inputs: [ids], tokens: { [input.id]: tokens } };
    },
    showPrediction: (ids) => data.classNames[ids[0]!] ?? String(ids[0]),
    exportInfo: {
      classNames: data.classNames,
      vocabularies: { [input.id]: tokenizer.vocabulary.tokens },
      tokenizer: tokenizer.exported,
    },
  };
}
