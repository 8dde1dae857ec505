import { learnTokenizer } from '../tokenizers/learnTokenizer';
import { DECODER_RESERVED, RESERVED } from '../tokenizers/wordVocabulary';
import type { DataOf, TaskText } from './taskFields';

type Data = DataOf<'seq2seq'>;

/** Seq2seq: the source, and the target, whose vocabulary also reserves the decoder's <bos> and <eos>. */
export const SEQ2SEQ_TEXT: TaskText<Data> = {
  fields: [
    {
      name: 'source',
      text: (data, index) => data.sources[index]!,
      learn: (data, rows, settings) =>
        learnTokenizer(
          rows.map((i) => data.sources[i]!),
          settings,
          RESERVED,
        ),
    },
    {
      name: 'target',
      text: (data, index) => data.targets[index]!,
      learn: (data, rows, settings) =>
        learnTokenizer(
          rows.map((i) => data.targets[i]!),
          settings,
          DECODER_RESERVED,
        ),
    },
  ],
  suggestedTokenizer: (data) => data.tokenizer,
};
