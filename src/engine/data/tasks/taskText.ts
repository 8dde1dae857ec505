import type { TokenInputSpec } from '../../../shared/architecture/modelSpec';
import type { TokenizerSettings } from '../../../shared/tokenizerSettings';
import type { LoadedDataset } from '../datasetTypes';
import { completeTokenizerSettings, type Tokenizer } from '../tokenizers/learnTokenizer';
import { SEQ2SEQ_TEXT } from './seq2seqText';
import { SEQUENCE_LABELLING_TEXT } from './sequenceLabellingText';
import type { TaskText } from './taskFields';
import { TEXT_CLASSIFICATION_TEXT } from './textClassificationText';

/** A text field with its tokenizer learnt, bound to the token input that reads it. */
export interface LearntField {
  name: string;
  text: (index: number) => string;
  /** The example's tokens, as the tokenizer cuts its text (or as stored, for texts kept as token ids). */
  tokens: (index: number) => string[];
  tokenizer: Tokenizer;
  /** The token input reading this field, if the model has one for it. */
  input: TokenInputSpec | undefined;
}

/** Vocabulary size of a field that no model input caps (the Datasets view before a model is chosen). */
export const DEFAULT_VOCABULARY = 10_000;

function taskText(data: LoadedDataset): TaskText<LoadedDataset> | null {
  switch (data.kind) {
    case 'text-classification':
      return TEXT_CLASSIFICATION_TEXT as TaskText<LoadedDataset>;
    case 'sequence-labelling':
      return SEQUENCE_LABELLING_TEXT as TaskText<LoadedDataset>;
    case 'seq2seq':
      return SEQ2SEQ_TEXT as TaskText<LoadedDataset>;
    case 'image-classification':
      return null;
  }
}

/**
 * Every text field of a dataset with its tokenizer learnt on the training rows: the user's settings, completed by
 * the task's suggestion and each token input's vocabulary size. The one place training and inspection cut text.
 */
export function learnTextFields(
  data: LoadedDataset,
  trainRows: readonly number[],
  settings: Partial<TokenizerSettings> | undefined,
  tokenInputs: readonly TokenInputSpec[],
): LearntField[] {
  const text = taskText(data);
  if (!text) return [];
  const kind = text.suggestedTokenizer(data);
  return text.fields.map((field, position) => {
    const input = tokenInputs[position];
    const complete = completeTokenizerSettings(settings, kind, input?.vocabSize ?? DEFAULT_VOCABULARY);
    const tokenizer = field.learn(data, trainRows, complete);
    return {
      name: field.name,
      text: (index) => field.text(data, index),
      tokens: (index) =>
        field.tokens ? field.tokens(data, index, tokenizer) : tokenizer.tokenize(field.text(data, index)),
      tokenizer,
      input,
    };
  });
}
