import type { Tokenizer } from '../tokenizers/learnTokenizer';
import { WordVocabulary } from '../tokenizers/wordVocabulary';
import type { DataOf, TaskText } from './taskFields';

type Data = DataOf<'sequence-labelling'>;

/**
 * Tagging reads the file's own tokens (one tag each), lower-cased; the settings give the vocabulary size and
 * minimum frequency. Cutting tagged tokens further into subwords would need a rule for their tags, so 'char',
 * 'bpe' and 'wordpiece' are refused rather than silently ignored.
 */
export const SEQUENCE_LABELLING_TEXT: TaskText<Data> = {
  fields: [
    {
      name: 'tokens',
      text: (data, index) => data.sentences[index]!.join(' '),
      learn: (data, rows, settings): Tokenizer => {
        if (settings.kind !== 'word') {
          throw new Error(
            `sequence labelling reads the file's own tokens: choose the word tokenizer, not ${settings.kind}`,
          );
        }
        const sentences = rows.map((i) => data.sentences[i]!.map((word) => word.toLowerCase()));
        const vocabulary = WordVocabulary.learn(sentences, settings.vocabSize, settings.minFrequency);
        return {
          kind: 'word',
          vocabulary,
          tokenize: (text) => text.toLowerCase().split(' '),
          detokenize: (tokens) => tokens.join(' '),
          exported: { kind: 'word' },
        };
      },
    },
  ],
  suggestedTokenizer: () => 'word',
};
