import { describe, expect, it } from 'vitest';
import { emailToText } from '../../../src/engine/data/builtin/spamAssassin';
import { generateKeywordTopics } from '../../../src/engine/data/builtin/keywordTopics';
import { stratifiedSplit } from '../../../src/engine/data/split/stratifiedSplit';
import { learnTextFields } from '../../../src/engine/data/tasks/taskText';
import { prepareTextClassificationTask } from '../../../src/engine/data/tensors/textClassificationTensors';
import { findPreset } from '../../../src/shared/architecture/presets';
import { PAD_ID, tokenizeWords, UNKNOWN_ID, WordVocabulary } from '../../../src/engine/data/tokenizers/wordVocabulary';

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

describe('text fields', () => {
  it('learn the vocabulary from the training split only', () => {
    const data = {
      kind: 'text-classification' as const,
      classNames: ['a', 'b'],
      texts: [...Array.from({ length: 30 }, (_, i) => `common word${i % 2}`), 'rare rare'],
      labels: Int32Array.from({ length: 31 }, (_, i) => i % 2),
    };
    const split = stratifiedSplit(data.labels, { validation: 0.2, test: 0.1 }, 1);
    const [field] = learnTextFields(data, split.train, { kind: 'word', vocabSize: 100 }, []);
    const rareInTrain = split.train.includes(30);
    expect(field!.tokenizer.vocabulary.tokens.includes('rare')).toBe(rareInTrain);
    expect(field!.name).toBe('text');
  });

  it('suggest characters for unspaced scripts, to training and inspection alike', () => {
    const data = {
      kind: 'text-classification' as const,
      classNames: ['a', 'b'],
      texts: ['我喜欢足球', '她喜欢音乐'],
      labels: Int32Array.from([0, 1]),
    };
    const [field] = learnTextFields(data, [0, 1], undefined, []);
    expect(field!.tokenizer.kind).toBe('char');
    expect(field!.tokenizer.tokenize('足球')).toEqual(['足', '球']);
  });

  it('refuse a dataset with a single class, naming it', () => {
    const data = {
      kind: 'text-classification' as const,
      classNames: ['only'],
      texts: ['x', 'y', 'z'],
      labels: new Int32Array(3),
    };
    expect(() =>
      prepareTextClassificationTask(data, findPreset('transformer-text')!.spec, {
        validationFraction: 0,
        testFraction: 0,
        seed: 1,
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
