import type { TokenizerKind, TokenizerSettings } from '../../../shared/tokenizerSettings';
import { joinWholeTokens, tokenizeWords, wholeTokenCutter, WordVocabulary } from './wordVocabulary';
import { learnSubwordMerges, mergedSymbol, type SubwordModel } from './subwordMerges';
import { bpeCutter, joinSubwords, wordPieceCutter } from './subwordTokenizer';

/** What an exported model needs to cut new text the way training did. */
export interface TokenizerExport {
  kind: TokenizerKind;
  /** BPE only: the merges in the order they apply. */
  merges?: [string, string][];
}

/** Text to tokens and tokens to ids, learnt from a training split. */
export interface Tokenizer {
  kind: TokenizerKind;
  vocabulary: WordVocabulary;
  /** The tokens as the model sees them; a token the vocabulary lacks is read as <unk>. */
  tokenize(text: string): string[];
  /** Tokens (e.g. a decoded target) back into text. */
  detokenize(tokens: readonly string[]): string;
  exported: TokenizerExport;
}

/** Tokenizer settings with the vocabulary size decided (by the user, or by the model's token input). */
export type LearntTokenizerSettings = Required<Pick<TokenizerSettings, 'kind' | 'vocabSize' | 'minFrequency'>>;

/** The user's settings, completed: the model's vocabulary size and the dataset's suggested kind when unset. */
export function completeTokenizerSettings(
  settings: Partial<TokenizerSettings> | undefined,
  fallbackKind: TokenizerKind,
  modelVocabSize: number,
): LearntTokenizerSettings {
  return {
    kind: settings?.kind ?? fallbackKind,
    vocabSize: settings?.vocabSize ?? modelVocabSize,
    minFrequency: settings?.minFrequency ?? 1,
  };
}

function countWords(texts: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of texts) for (const word of tokenizeWords(text)) counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts;
}

/** Builds a tokenizer from a cutter of words into pieces and its vocabulary. */
function subwordTokenizer(kind: 'bpe' | 'wordpiece', model: SubwordModel, reserved: readonly string[]): Tokenizer {
  const learnt = model.merges.map(([left, right]) => mergedSymbol(left, right));
  const vocabulary = new WordVocabulary([
    ...reserved,
    ...model.alphabet.filter((s) => !reserved.includes(s)),
    ...learnt,
  ]);
  const cut = kind === 'bpe' ? bpeCutter(model) : wordPieceCutter(new Set(vocabulary.tokens));
  return {
    kind,
    vocabulary,
    tokenize: (text) => tokenizeWords(text).flatMap(cut),
    detokenize: joinSubwords,
    exported: kind === 'bpe' ? { kind, merges: model.merges } : { kind },
  };
}

/**
 * Learns a tokenizer's vocabulary from the training texts only, so that validation and test measure how the model
 * meets words it never saw. `vocabSize` counts the reserved tokens, which take the first ids.
 */
export function learnTokenizer(
  trainingTexts: readonly string[],
  settings: LearntTokenizerSettings,
  reserved: readonly string[],
): Tokenizer {
  const { kind, vocabSize, minFrequency } = settings;
  if (kind === 'bpe' || kind === 'wordpiece') {
    const model = learnSubwordMerges(countWords(trainingTexts), Math.max(0, vocabSize - reserved.length), minFrequency);
    return subwordTokenizer(kind, model, reserved);
  }
  const cut = wholeTokenCutter(kind);
  const vocabulary = WordVocabulary.learn(trainingTexts.map(cut), vocabSize, minFrequency, reserved);
  return {
    kind,
    vocabulary,
    tokenize: cut,
    detokenize: (tokens) => joinWholeTokens(kind, tokens),
    exported: { kind },
  };
}

// Han, Hiragana, Katakana and Hangul: scripts written without spaces between words.
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu;
const LETTER = /\p{L}/gu;

/** 'char' for text that is mostly Chinese, Japanese or Korean (words are not separated by spaces), else 'word'. */
export function suggestTokenizer(texts: readonly string[]): 'char' | 'word' {
  let unspaced = 0;
  let letters = 0;
  for (const text of texts.slice(0, 500)) {
    unspaced += text.match(UNSPACED)?.length ?? 0;
    letters += text.match(LETTER)?.length ?? 0;
  }
  return letters > 0 && unspaced / letters > 0.3 ? 'char' : 'word';
}
