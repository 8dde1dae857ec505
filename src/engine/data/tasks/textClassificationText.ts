import type { TaskText, DataOf } from './taskFields';
import { learnTokenizer, suggestTokenizer } from '../tokenizers/learnTokenizer';
import { storedTokenizer, storedTokens } from '../tokenizers/storedTokenizer';
import { joinWholeTokens, RESERVED } from '../tokenizers/wordVocabulary';

type Data = DataOf<'text-classification'>;

/**
 * Text classification: one field, the text, cut by any tokenizer; characters for unspaced scripts. A text stored
 * as token ids (a streamed import) keeps the tokenizer it was cut with, and its text is its tokens joined.
 */
export const TEXT_CLASSIFICATION_TEXT: TaskText<Data> = {
  fields: [
    {
      name: 'text',
      text: (data, index) =>
        data.shards ? joinWholeTokens(data.tokenizer, storedTokens(data, index)) : data.texts[index]!,
      tokens: (data, index, tokenizer) =>
        data.shards ? storedTokens(data, index) : tokenizer.tokenize(data.texts[index]!),
      learn: (data, rows, settings) =>
        data.shards
          ? storedTokenizer(data, settings)
          : learnTokenizer(
              rows.map((i) => data.texts[i]!),
              settings,
              RESERVED,
            ),
    },
  ],
  suggestedTokenizer: (data) => (data.shards ? data.tokenizer : suggestTokenizer(data.texts.slice(0, 500))),
};
