/** Reserved ids: 0 pads a sequence (the models mask it out), 1 stands for a word outside the vocabulary. */
export const PAD_ID = 0;
export const UNKNOWN_ID = 1;
/** In a decoder's vocabulary, 2 starts and 3 ends a sequence. */
export const BOS_ID = 2;
export const EOS_ID = 3;
export const RESERVED = ['<pad>', '<unk>'];
export const DECODER_RESERVED = ['<pad>', '<unk>', '<bos>', '<eos>'];

// A run of letters (with their combining marks), a run of digits, or one other visible character.
const WORD = /[\p{L}\p{M}]+|\p{N}+|[^\s\p{L}\p{M}\p{N}]/gu;

/** Lower-cased words, numbers and single punctuation marks, in order. */
export function tokenizeWords(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/** How text is cut into whole tokens, words or characters: training, a stored import and its threads alike. */
export function wholeTokenCutter(kind: 'word' | 'char'): (text: string) => string[] {
  return kind === 'char' ? (text) => [...text] : tokenizeWords;
}

/** Whole tokens back into text: characters joined as they were, words with a space. */
export const joinWholeTokens = (kind: 'word' | 'char', tokens: readonly string[]): string =>
  tokens.join(kind === 'char' ? '' : ' ');

/** A word-level vocabulary learnt from the training split only: the most frequent words first. */
export class WordVocabulary {
  private readonly ids: Map<string, number>;

  constructor(readonly tokens: readonly string[]) {
    this.ids = new Map(tokens.map((token, id) => [token, id]));
  }

  static learn(
    documents: Iterable<readonly string[]>,
    maxSize: number,
    minFrequency = 2,
    reserved: readonly string[] = RESERVED,
  ): WordVocabulary {
    const counts = new Map<string, number>();
    for (const words of documents) for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
    const kept = [...counts.entries()]
      .filter(([, count]) => count >= minFrequency)
      .sort(([a, ca], [b, cb]) => cb - ca || (a < b ? -1 : a > b ? 1 : 0))
      .filter(([word]) => !reserved.includes(word))
      .slice(0, Math.max(0, maxSize - reserved.length))
      .map(([word]) => word);
    return new WordVocabulary([...reserved, ...kept]);
  }

  get size(): number {
    return this.tokens.length;
  }

  idOf(word: string): number {
    return this.ids.get(word) ?? UNKNOWN_ID;
  }

  /** Writes the ids of the first `maxLength` words into `target` at `offset`, padding the rest with PAD_ID. */
  encodeInto(words: readonly string[], maxLength: number, target: Int32Array, offset: number): void {
    const length = Math.min(words.length, maxLength);
    for (let t = 0; t < length; t++) target[offset + t] = this.idOf(words[t]!);
    target.fill(PAD_ID, offset + length, offset + maxLength);
  }
}
