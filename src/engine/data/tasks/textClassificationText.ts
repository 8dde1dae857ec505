import type { TaskText, DataOf } from './taskFields';
import { learnTokenizer, suggestTokenizer } from '../tokenizers/learnTokenizer';
import { RESERVED } from '../tokenizers/wordVocabulary';

type Data = DataOf<'text-classification'>;

/** Text classification: one field, the text, cut by any tokenizer; characters for unspaced scripts. */
export const TEXT_CLASSIFICATION_TEXT: TaskText<Data> = {
  fields: [
    {
      name: 'text',
      text: (data, index) => data.texts[index]!,
      learn: (data, rows, settings) =>
        learnTokenizer(
          rows.map((i) => data.texts[i]!),
          settings,
          RESERVED,
        ),
    },
  ],
  suggestedTokenizer: (data) => suggestTokenizer(data.texts.slice(0, 500)),
};
