import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { learnSubwordMerges } from '../../../src/engine/data/tokenizers/subwordMerges';
import { learnTokenizer, suggestTokenizer } from '../../../src/engine/data/tokenizers/learnTokenizer';
import { joinSubwords } from '../../../src/engine/data/tokenizers/subwordTokenizer';
import { DECODER_RESERVED, tokenizeWords, UNKNOWN_ID } from '../../../src/engine/data/tokenizers/wordVocabulary';

const RESERVED = ['<pad>', '<unk>'];

/** Classic BPE by recounting every pair after each merge: slow, obviously right, the reference for the fast one. */
function referenceMerges(counts: Map<string, number>, budget: number): [string, string][] {
  const words = [...counts].map(([w, c]) => ({ symbols: [...w].map((ch, i) => (i ? `##${ch}` : ch)), c }));
  const known = new Set(words.flatMap((w) => w.symbols));
  const merges: [string, string][] = [];
  while (known.size < budget) {
    const pairs = new Map<string, number>();
    for (const w of words)
      for (let i = 0; i + 1 < w.symbols.length; i++) {
        const key = `${w.symbols[i]}\u0000${w.symbols[i + 1]}`;
        pairs.set(key, (pairs.get(key) ?? 0) + w.c);
      }
    const best = [...pairs].sort(([a, ca], [b, cb]) => cb - ca || (a < b ? -1 : 1))[0];
    if (!best) break;
    const [left, right] = best[0].split('\u0000') as [string, string];
    merges.push([left, right]);
    known.add(left + right.slice(2));
    for (const w of words) {
      const next: string[] = [];
      for (let i = 0; i < w.symbols.length; i++) {
        if (w.symbols[i] === left && w.symbols[i + 1] === right) {
          next.push(left + right.slice(2));
          i++;
        } else next.push(w.symbols[i]!);
      }
      w.symbols = next;
    }
  }
  return merges;
}

describe('subword merges', () => {
  it('learns the same merges as recounting every pair after each merge', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.stringMatching(/^[abc]{1,6}$/), fc.integer({ min: 1, max: 5 })), {
          minLength: 1,
          maxLength: 12,
        }),
        fc.integer({ min: 3, max: 20 }),
        (entries, budget) => {
          const counts = new Map<string, number>();
          for (const [w, c] of entries) counts.set(w, (counts.get(w) ?? 0) + c);
          const fast = learnSubwordMerges(counts, budget, 1);
          // The reference has no alphabet cap, so compare when the alphabet fits in the budget.
          fc.pre(fast.alphabet.length < budget);
          expect(fast.merges).toEqual(referenceMerges(counts, budget));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("Sennrich's example: low, lower, newest, widest learn 'es' then 'est' first", () => {
    const model = learnSubwordMerges(
      new Map([
        ['low', 5],
        ['lower', 2],
        ['newest', 6],
        ['widest', 3],
      ]),
      30,
      1,
    );
    expect(model.merges.slice(0, 2)).toEqual([
      ['##e', '##s'],
      ['##es', '##t'],
    ]);
  });
});

const corpus = ['the player is playing', 'players played the game', 'a game of play', 'the games were played'];

describe('learnTokenizer', () => {
  for (const kind of ['bpe', 'wordpiece'] as const) {
    it(`${kind}: pieces join back into the words, and known words need no <unk>`, () => {
      const tokenizer = learnTokenizer(corpus, { kind, vocabSize: 60, minFrequency: 1 }, RESERVED);
      expect(tokenizer.vocabulary.size).toBeLessThanOrEqual(60);
      fc.assert(
        fc.property(
          fc.array(fc.constantFrom(...corpus.flatMap(tokenizeWords)), { minLength: 1, maxLength: 8 }),
          (words) => {
            const tokens = tokenizer.tokenize(words.join(' '));
            expect(joinSubwords(tokens)).toBe(words.join(' '));
            expect(tokens.every((t) => tokenizer.vocabulary.idOf(t) !== UNKNOWN_ID)).toBe(true);
          },
        ),
      );
      expect(tokenizer.tokenize('playing')).not.toEqual(['p', '##l', '##a', '##y', '##i', '##n', '##g']);
    });
  }

  it('wordpiece keeps a word it cannot cover whole, which reads as <unk>', () => {
    const tokenizer = learnTokenizer(corpus, { kind: 'wordpiece', vocabSize: 60, minFrequency: 1 }, RESERVED);
    expect(tokenizer.tokenize('play zzz')).toContain('zzz');
    expect(tokenizer.vocabulary.idOf('zzz')).toBe(UNKNOWN_ID);
  });

  it('char keeps every character, so Chinese text is cut into characters', () => {
    const tokenizer = learnTokenizer(
      ['2026年11月23日', '今天天气很好'],
      { kind: 'char', vocabSize: 100, minFrequency: 1 },
      DECODER_RESERVED,
    );
    expect(tokenizer.tokenize('2026年11月')).toEqual(['2', '0', '2', '6', '年', '1', '1', '月']);
    expect(tokenizer.vocabulary.tokens.slice(0, 4)).toEqual(DECODER_RESERVED);
    expect(tokenizer.detokenize(['今', '天'])).toBe('今天');
  });

  it('a word below the minimum frequency is unknown', () => {
    const tokenizer = learnTokenizer(['a a a b'], { kind: 'word', vocabSize: 100, minFrequency: 2 }, RESERVED);
    expect(tokenizer.vocabulary.tokens).toEqual(['<pad>', '<unk>', 'a']);
  });

  it('suggests characters for Chinese and Japanese, words for English', () => {
    expect(suggestTokenizer(['我们今天去北京', '東京は晴れです'])).toBe('char');
    expect(suggestTokenizer(['the cat sat on the mat'])).toBe('word');
  });

  it('learns a 4,000-token BPE vocabulary from 2,000 generated sentences', () => {
    const letters = (n: number) =>
      [...(n * 7919 + 100_000).toString(26)].map((d) => String.fromCharCode(97 + parseInt(d, 26))).join('');
    const words = Array.from({ length: 300 }, (_, i) => letters(i));
    const texts = Array.from({ length: 2000 }, (_, i) =>
      Array.from({ length: 20 }, (_, j) => words[(i * 31 + j * 17) % 300]).join(' '),
    );
    const tokenizer = learnTokenizer(texts, { kind: 'bpe', vocabSize: 4000, minFrequency: 2 }, RESERVED);
    expect(tokenizer.tokenize(texts[0]!).length).toBe(20); // every word seen often enough became one token
  });
});
