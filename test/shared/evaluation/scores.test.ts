import { describe, expect, it } from 'vitest';
import { classScores, confusionMatrix, summaryScores } from '../../../src/shared/evaluation/classificationScores';
import { entityScores, entitySpans } from '../../../src/shared/evaluation/entityScores';
import { corpusBleu, corpusChrF } from '../../../src/shared/evaluation/translationScores';

describe('classification scores', () => {
  it('count a confusion matrix and per-class precision, recall and F1 as scikit-learn does', () => {
    const truth = [0, 0, 0, 1, 1, 2];
    const predicted = [0, 0, 1, 1, 2, 2];
    const matrix = confusionMatrix(truth, predicted, 3);
    expect(matrix).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    const scores = classScores(matrix);
    // Class 0: 2 of 2 predicted right, 2 of 3 found. Class 1: 1 of 2, 1 of 2. Class 2: 1 of 2, 1 of 1.
    expect(scores[0]).toEqual({ precision: 1, recall: 2 / 3, f1: 0.8, support: 3 });
    expect(scores[1]).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(scores[2]!.f1).toBeCloseTo(2 / 3, 12);
    expect(summaryScores(matrix)).toEqual({ accuracy: 4 / 6, macroF1: (0.8 + 0.5 + 2 / 3) / 3 });
  });
});

describe('entity scores', () => {
  it('read spans as seqeval does, an I- after O or another type starting a new entity', () => {
    expect(entitySpans(['B-PER', 'I-PER', 'O', 'B-LOC', 'I-LOC', 'I-LOC'])).toEqual([
      { type: 'PER', start: 0, end: 2 },
      { type: 'LOC', start: 3, end: 6 },
    ]);
    expect(entitySpans(['O', 'I-ORG', 'I-ORG', 'I-PER', 'B-PER', 'B-PER'])).toEqual([
      { type: 'ORG', start: 1, end: 3 },
      { type: 'PER', start: 3, end: 4 },
      { type: 'PER', start: 4, end: 5 },
      { type: 'PER', start: 5, end: 6 },
    ]);
  });

  it("count an entity right only when its type and its whole span match (seqeval's example)", () => {
    // seqeval's README: y_true/y_pred below give precision 0.5, recall 0.5, f1 0.5.
    const truth = [
      ['O', 'O', 'O', 'B-MISC', 'I-MISC', 'I-MISC', 'O'],
      ['B-PER', 'I-PER', 'O'],
    ];
    const predicted = [
      ['O', 'O', 'B-MISC', 'I-MISC', 'I-MISC', 'I-MISC', 'O'],
      ['B-PER', 'I-PER', 'O'],
    ];
    const scores = entityScores(truth, predicted);
    expect([scores.precision, scores.recall, scores.f1]).toEqual([0.5, 0.5, 0.5]);
    expect(scores.types['PER']).toEqual({ precision: 1, recall: 1, f1: 1, support: 1 });
    expect(scores.types['MISC']).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
  });
});

describe('translation scores', () => {
  it('BLEU: 1 for identical sentences, 0 without a 4-gram in common, the brevity penalty for short ones', () => {
    expect(corpusBleu(['the cat sat on the mat'], ['the cat sat on the mat'])).toBeCloseTo(1, 12);
    expect(corpusBleu(['the cat sat'], ['a dog ran away'])).toBe(0);
    // A correct prefix of 5 of 6 words: every precision is 1, the penalty exp(1 - 6/5).
    expect(corpusBleu(['the cat sat on the'], ['the cat sat on the mat'])).toBeCloseTo(Math.exp(1 - 6 / 5), 12);
  });

  it('chrF: 1 when identical, and by hand for one changed character', () => {
    expect(corpusChrF(['2024-01-05'], ['2024-01-05'])).toBeCloseTo(1, 12);
    // "abcd" against "abce": orders 1-4 match 3, 2, 1, 0 of 4, 3, 2, 1; orders 5-6 have no n-grams.
    const p = (3 / 4 + 2 / 3 + 1 / 2 + 0) / 4;
    expect(corpusChrF(['abcd'], ['abce'])).toBeCloseTo((5 * p * p) / (4 * p + p), 12);
  });
});
