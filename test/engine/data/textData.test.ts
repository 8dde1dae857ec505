import { describe, expect, it } from 'vitest';
import { emailToText } from '../../../src/engine/data/spamAssassin';
import { generateKeywordTopics } from '../../../src/engine/data/keywordTopics';
import { stratifiedSplit } from '../../../src/engine/data/stratifiedSplit';
import { prepareTextClassification } from '../../../src/engine/data/textClassification';
import { PAD_ID, tokenizeWords, UNKNOWN_ID, WordVocabulary } from '../../../src/engine/data/wordVocabulary';

describe('tokenizeWords', () => {
  it('splits words, numbers and punctuation, lower-cased, in any script', () => {
    expect(tokenizeWords("Don't PAY $100 now!")).toEqual(['don', "'", 't', 'pay', '$', '100', 'now', '!']);
    expect(tokenizeWords('Café naïve 東京')).toEqual(['café', 'naïve', '東京']);
  });
});

describe('WordVocabulary', () => {
  it('keeps the most frequent words that occur often enough, after the reserved ids', () => {
    const vocabulary = WordVocabulary.learn([['b', 'a', 'a'], ['a', 'b', 'c'], ['d']], 4, 2);
    expect(vocabulary.tokens).toEqual(['<pad>', '<unk>', 'a', 'b']);
    const ids = new Int32Array(5);
    vocabulary.encodeInto(['b', 'zzz', 'a'], 5, ids, 0);
    expect([...ids]).toEqual([3, UNKNOWN_ID, 2, PAD_ID, PAD_ID]);
  });
});

describe('stratifiedSplit', () => {
  const labels = Int32Array.from({ length: 1000 }, (_, i) => (i % 10 < 3 ? 1 : 0)); // 30% class 1

  it('keeps class proportions, covers every example once, and is reproducible', () => {
    const split = stratifiedSplit(labels, { validation: 0.2, test: 0.1 }, 5);
    const all = [...split.train, ...split.validation, ...split.test].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(split.validation.length).toBe(200);
    expect(split.test.length).toBe(100);
    expect(split.validation.filter((i) => labels[i] === 1).length).toBe(60);
    expect(stratifiedSplit(labels, { validation: 0.2, test: 0.1 }, 5)).toEqual(split);
    expect(stratifiedSplit(labels, { validation: 0.2, test: 0.1 }, 6).validation).not.toEqual(split.validation);
  });
});

describe('prepareTextClassification', () => {
  it('learns the vocabulary from the training split only', () => {
    const data = {
      classNames: ['a', 'b'],
      texts: [...Array.from({ length: 30 }, (_, i) => `common word${i % 2}`), 'rare rare'],
      labels: Int32Array.from({ length: 31 }, (_, i) => i % 2),
    };
    const split = stratifiedSplit(data.labels, { validation: 0.2, test: 0.1 }, 1);
    const prepared = prepareTextClassification(data, {
      maxLength: 4,
      tokenizer: { kind: 'word', vocabSize: 100, minFrequency: 1 },
      split,
    });
    const rareInTrain = [...Array(prepared.train.count).keys()].some((i) => prepared.train.words(i).includes('rare'));
    expect(prepared.tokenizer.vocabulary.tokens.includes('rare')).toBe(rareInTrain);
    expect(prepared.train.ids.length).toBe(prepared.train.count * 4);
  });

  it('refuses a dataset with a single class, naming it', () => {
    const data = { classNames: ['only'], texts: ['x', 'y', 'z'], labels: new Int32Array(3) };
    const split = { train: [0, 1, 2], validation: [], test: [] };
    expect(() =>
      prepareTextClassification(data, {
        maxLength: 4,
        tokenizer: { kind: 'word', vocabSize: 10, minFrequency: 1 },
        split,
      }),
    ).toThrow(/single class \(only\)/);
  });
});

describe('built-in text data', () => {
  it('keyword topics: every text holds exactly one word of its own topic', () => {
    const data = generateKeywordTopics(60, 1);
    const topics: Record<string, string[]> = {
      sport: ['football', 'tennis', 'goal', 'referee', 'marathon', 'stadium', 'coach', 'tournament'],
      music: ['guitar', 'melody', 'concert', 'drummer', 'orchestra', 'chorus', 'album', 'violin'],
      food: ['pasta', 'recipe', 'bakery', 'spices', 'dessert', 'chef', 'noodles', 'cheese'],
    };
    data.texts.forEach((text, i) => {
      const words = text.split(' ');
      const own = topics[data.classNames[data.labels[i]!]!]!;
      expect(words.filter((w) => own.includes(w)).length).toBe(1);
      expect(words.filter((w) => Object.values(topics).flat().includes(w)).length).toBe(1);
    });
  });

  it('emailToText keeps the subject and readable body, not headers, tags or MIME lines', () => {
    const raw = [
      'Received: from mail.example.com',
      'Subject: Cheap =?iso?q?stuff?=',
      'Content-Type: multipart/alternative',
      '',
      '--boundary42',
      'Content-Type: text/html',
      '',
      '<html><body><b>Buy</b> now&nbsp;and save=',
      ' money</body></html>',
    ].join('\n');
    expect(emailToText(raw)).toBe('Cheap =?iso?q?stuff?= Buy now and save money');
  });
});
