import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/engine/backend';
import { generateEntityTagging } from '../../../src/engine/data/builtin/entityTagging';
import { generateSequenceReversal } from '../../../src/engine/data/builtin/sequenceReversal';
import { prepareDataset } from '../../../src/engine/data/prepareDataset';
import { buildModel } from '../../../src/engine/models/buildModel';
import { exactMatch } from '../../../src/engine/train/testMetrics';
import { evaluateRun } from '../../../src/engine/train/evaluateRun';
import { entityScores } from '../../../src/shared/evaluation/entityScores';
import { findPreset } from '../../../src/shared/architecture/presets';

beforeAll(async () => {
  await selectBackend(process.env['WORKBENCH_BACKEND']);
});

const split = { validationFraction: 0.1, testFraction: 0.2, seed: 3 };

describe('the test report', () => {
  it('tagging: a confusion matrix over the real tokens, entity scores as seqeval counts them, no tensor left', async () => {
    const spec = findPreset('transformer-tagger')!.spec;
    const data = prepareDataset(generateEntityTagging(120, 2), spec, split);
    const { model } = buildModel(spec, { vocabSizes: data.vocabSizes, classes: data.classNames.length, dropout: 0 });
    const before = tf.memory().numTensors;
    const report = await evaluateRun(model, data, 16);
    expect(tf.memory().numTensors).toBe(before);
    // Every real token of the test split is counted once; padding (class 0) never.
    let tokens = 0;
    for (let row = 0; row < data.counts.test; row++) tokens += Object.values(data.view('test', row).tokens)[0]!.length;
    const confusion = report.confusion!;
    expect(confusion.flat().reduce((a, b) => a + b, 0)).toBe(tokens);
    expect(confusion[0]!.every((n) => n === 0)).toBe(true);
    // The entity scores agree with seqeval's counting of the mistakes' tags (where the tags are shown).
    expect(report.entities!.f1).toBeGreaterThanOrEqual(0);
    expect(report.entities!.f1).toBeLessThanOrEqual(1);
    const wrongRows = report.mistakes.map((m) => [m.target.split(' '), m.predicted.split(' ')] as const);
    const fromMistakes = entityScores(
      wrongRows.map(([t]) => t),
      wrongRows.map(([, p]) => p),
    );
    expect(fromMistakes.f1).toBeLessThanOrEqual(report.entities!.f1 + 1e-12);
    model.dispose();
  });

  it("seq2seq: exact match agrees with testMetrics', BLEU and chrF lie in [0, 1], every miss is listed", async () => {
    const spec = findPreset('transformer-seq2seq')!.spec;
    const data = prepareDataset(generateSequenceReversal(150, 4), spec, split);
    const { model } = buildModel(spec, { vocabSizes: data.vocabSizes, classes: data.classNames.length, dropout: 0 });
    const report = await evaluateRun(model, data, 16);
    expect(report.translation!.exactMatch).toBeCloseTo(await exactMatch(model, data, 'test', 16), 12);
    for (const score of [report.translation!.bleu, report.translation!.chrF]) {
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(1);
    }
    expect(report.mistakes).toHaveLength(Math.round(data.counts.test * (1 - report.translation!.exactMatch)));
    expect(report.mistakes[0]).toMatchObject({ text: expect.any(String), target: expect.any(String) });
    model.dispose();
  });
});
