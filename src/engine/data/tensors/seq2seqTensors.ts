import type { ModelSpec } from '../../../shared/architecture/modelSpec';
import type { Seq2seqData } from '../datasetTypes';
import type { PreparedDataset } from '../preparedDataset';
import { splitDataset } from '../split/datasetSplit';
import { learnTextFields } from '../tasks/taskText';
import { BOS_ID, EOS_ID, PAD_ID } from '../tokenizers/wordVocabulary';
import { encodeSplits, gatherRows, splitCounts } from './gatherRows';
import { tokenInputs, type PreparationOptions } from './preparationOptions';
import { encodeTokens, textOf } from './userExample';
import * as tf from '@tensorflow/tfjs-core';

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
  const [sourceField, targetField] = learnTextFields(data, indices.train, options.tokenizer, [
    sourceInput,
    targetInput,
  ]);
  const [sourceTokenizer, targetTokenizer] = [sourceField!.tokenizer, targetField!.tokenizer];
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
  const split = encodeSplits(indices, encode);
  const classNames = [...targetVocabulary.tokens];
  return {
    task: 'seq2seq',
    classNames,
    sequenceOutput: true,
    vocabSizes: { [sourceInput.id]: sourceVocabulary.size, [targetInput.id]: targetVocabulary.size },
    counts: splitCounts(indices),
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
    encode: (example) => {
      const { tokens, ids } = encodeTokens(
        textOf(example, 'translates a source sentence'),
        sourceTokenizer,
        sourceInput,
      );
      // The decoder starts from <bos> alone: decoding writes the rest.
      const decoderInput = new Int32Array(targetLength);
      decoderInput[0] = BOS_ID;
      return {
        inputs: [ids, tf.tensor2d(decoderInput, [1, targetLength], 'int32')],
        tokens: { [sourceInput.id]: tokens, [targetInput.id]: ['<bos>'] },
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
