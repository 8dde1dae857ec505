import type { ModelSpec } from '../../../shared/architecture/modelSpec';
import type { SequenceLabellingData } from '../datasetTypes';
import type { PreparedDataset } from '../preparedDataset';
import { splitDataset } from '../split/datasetSplit';
import { learnTextFields } from '../tasks/taskText';
import { encodeSplits, gatherRows, splitCounts } from './gatherRows';
import { tokenInputs, type PreparationOptions } from './preparationOptions';
import { encodeTokens, textOf } from './userExample';

/** Sequence labelling: token ids [B, T] in, a tag per position [B, T] out ('<pad>', id 0, where there is none). */
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
  const indices = splitDataset(data, options);
  const [field] = learnTextFields(data, indices.train, options.tokenizer, [input]);
  const { tokenizer } = field!;
  const classNames = ['<pad>', ...[...new Set(data.tags.flat())].sort()];
  const tagIds = new Map(classNames.map((tag, id) => [tag, id]));
  const tokensOf = (source: number) => tokenizer.tokenize(field!.text(source));
  const encode = (rows: number[]) => {
    const ids = new Int32Array(rows.length * length);
    const tags = new Int32Array(rows.length * length);
    rows.forEach((source, row) => {
      tokenizer.vocabulary.encodeInto(tokensOf(source), length, ids, row * length);
      data.tags[source]!.slice(0, length).forEach((tag, t) => (tags[row * length + t] = tagIds.get(tag)!));
    });
    return { rows, ids, tags };
  };
  const split = encodeSplits(indices, encode);
  return {
    task: 'sequence-labelling',
    classNames,
    sequenceOutput: true,
    vocabSizes: { [input.id]: tokenizer.vocabulary.size },
    counts: splitCounts(indices),
    batch: (name, rows) => ({
      inputs: [gatherRows(split(name).ids, rows, length)],
      targets: gatherRows(split(name).tags, rows, length),
    }),
    view: (name, row) => {
      const source = split(name).rows[row]!;
      return {
        tokens: { [input.id]: tokensOf(source).slice(0, length) },
        target: data.tags[source]!.slice(0, length).join(' '),
      };
    },
    encode: (example) => {
      const { tokens, ids } = encodeTokens(textOf(example, 'tags the words of a sentence'), tokenizer, input);
      return { inputs: [ids], tokens: { [input.id]: tokens } };
    },
    showPrediction: (ids) => Array.from(ids, (id) => classNames[id] ?? '?').join(' '),
    exportInfo: {
      classNames,
      vocabularies: { [input.id]: tokenizer.vocabulary.tokens },
      tokenizer: tokenizer.exported,
    },
  };
}
