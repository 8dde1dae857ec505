import type { ShardedTextClassificationData } from '../datasetTypes';
import type { LearntTokenizerSettings, Tokenizer } from './learnTokenizer';
import { joinWholeTokens, RESERVED, UNKNOWN_ID, wholeTokenCutter, WordVocabulary } from './wordVocabulary';

/**
 * The tokenizer of texts stored as token ids: the cutting chosen at import, and the first ids of the vocabulary
 * learnt there, as many as the settings allow. The vocabulary is ordered by count, so its first `size` tokens are
 * the vocabulary a smaller size would have learnt, and a minimum frequency is a shorter prefix; ids past it read as
 * <unk>. Another kind of tokenizer would need the text, which the shards no longer hold.
 */
export function storedTokenizer(data: ShardedTextClassificationData, settings: LearntTokenizerSettings): Tokenizer {
  if (settings.kind !== data.tokenizer)
    throw new Error(
      `this dataset was stored as ${data.tokenizer} tokens when it was imported (it is too big to keep as text); ` +
        `train it with the ${data.tokenizer} tokenizer, or import the file again to cut it differently`,
    );
  const { tokens, counts } = data.vocabulary;
  let size = Math.min(tokens.length, Math.max(RESERVED.length, settings.vocabSize));
  while (size > RESERVED.length && counts[size - 1]! < settings.minFrequency) size--;
  const kind = data.tokenizer;
  return {
    kind,
    vocabulary: new WordVocabulary(tokens.slice(0, size)),
    tokenize: wholeTokenCutter(kind),
    detokenize: (words) => joinWholeTokens(kind, words),
    exported: { kind },
  };
}

/** A stored text's token ids (its first maxTokens), without the padding; ids the vocabulary lacks read as <unk>. */
export function storedIds(data: ShardedTextClassificationData, record: number): Uint32Array {
  const bytes = data.shards.readOneSync(record);
  const ids = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const length = Math.min(data.lengths[record]!, ids.length);
  return ids.subarray(0, length).map((id) => (id < data.vocabulary.tokens.length ? id : UNKNOWN_ID));
}

/** A stored text's tokens as imported (the full vocabulary's words; <unk> for those it lacked). */
export function storedTokens(data: ShardedTextClassificationData, record: number): string[] {
  return Array.from(storedIds(data, record), (id) => data.vocabulary.tokens[id]!);
}
