import { describe, expect, it } from 'vitest';
import { BUILTIN_DATASETS } from '../../../src/engine/data/builtin/catalog';
import { generateDateFormats } from '../../../src/engine/data/builtin/dateFormats';
import { generateEntityTagging } from '../../../src/engine/data/builtin/entityTagging';
import { generateKeywordTopics } from '../../../src/engine/data/builtin/keywordTopics';
import { generateObjectInClutter } from '../../../src/engine/data/builtin/objectInClutter';
import {
  buildInspectionContext,
  inspectDataset,
  sampleDataset,
} from '../../../src/engine/data/inspection/inspectDataset';
import { prepareDataset } from '../../../src/engine/data/prepareDataset';
import type { LoadedDataset } from '../../../src/engine/data/datasetTypes';
import { findPreset } from '../../../src/shared/architecture/presets';

const summaryOf = (id: string) => BUILTIN_DATASETS.find((d) => d.id === id)!;
const split = { validationFraction: 0.2, testFraction: 0.1, seed: 9 };

describe('inspectDataset', () => {
  it('shows the split that training uses, and class counts that add up per split', () => {
    const data: LoadedDataset = { kind: 'text-classification', ...generateKeywordTopics(300, 2) };
    const preset = findPreset('transformer-text')!;
    const inspection = inspectDataset(
      buildInspectionContext(summaryOf('keyword-topics'), data, split, preset.spec.inputs),
    );
    const prepared = prepareDataset(data, preset.spec, split);
    expect(inspection.split).toMatchObject(prepared.counts);
    for (const name of ['train', 'validation', 'test'] as const) {
      expect(inspection.classCounts!.counts[name].reduce((a, b) => a + b, 0)).toBe(prepared.counts[name]);
    }
  });

  it('bins every example by its token count and marks the max length', () => {
    const data: LoadedDataset = { kind: 'text-classification', ...generateKeywordTopics(200, 3) };
    const preset = findPreset('transformer-text')!;
    const { text } = inspectDataset(
      buildInspectionContext(summaryOf('keyword-topics'), data, split, preset.spec.inputs),
    );
    const [lengths] = text!.lengths;
    expect(lengths!.counts.reduce((a, b) => a + b, 0)).toBe(200);
    const words = data.texts.map((t) => t.split(/\s+/).filter(Boolean).length); // the generator writes plain words
    expect(lengths!.longest).toBe(Math.max(...words));
    expect(lengths!.maxLength).toBe((preset.spec.inputs[0] as { maxLength: number }).maxLength);
    expect(lengths!.truncated).toBeCloseTo(words.filter((w) => w > lengths!.maxLength!).length / 200);
  });

  it('measures coverage on held-out examples: a word only they hold is unknown and marked', () => {
    const texts: string[] = Array.from({ length: 40 }, (_, i) => (i % 2 ? 'good film' : 'bad film'));
    const data: LoadedDataset = {
      kind: 'text-classification',
      classNames: ['neg', 'pos'],
      texts,
      labels: Int32Array.from(texts, (_, i) => i % 2),
    };
    const context = buildInspectionContext(
      summaryOf('keyword-topics'),
      data,
      split,
      findPreset('transformer-text')!.spec.inputs,
    );
    const held = [...context.split.validation, ...context.split.test];
    texts[held[0]!] = 'bad zebra';
    const inspection = inspectDataset(context);
    const heldTokens = held.length * 2;
    expect(inspection.text!.vocabularies[0]!.coverage).toBeCloseTo((heldTokens - 1) / heldTokens);
    const page = sampleDataset(context, context.split.validation.includes(held[0]!) ? 'validation' : 'test', 0, 50);
    const zebra = page.samples.flatMap((s) => s.fields![0]!.tokens).find((t) => t.text === 'zebra');
    expect(zebra).toEqual({ text: 'zebra', unknown: true });
  });

  it('pages images as their own pixels, and gives seq2seq and tagging their fields', () => {
    const images = generateObjectInClutter(60, 1);
    const context = buildInspectionContext(summaryOf('object-in-clutter'), images, split, undefined);
    const page = sampleDataset(context, 'train', 10, 5);
    expect(page.samples).toHaveLength(5);
    const index = page.samples[0]!.index;
    expect(index).toBe(context.split.train[10]);
    expect(Buffer.from(page.samples[0]!.pixels!, 'base64')).toEqual(
      Buffer.from(images.pixels.subarray(index * 3072, (index + 1) * 3072)),
    );
    expect(inspectDataset(context).image).toMatchObject({ height: 32, width: 32, channels: 3 });

    const dates = buildInspectionContext(
      summaryOf('date-formats'),
      generateDateFormats(50, 1),
      split,
      findPreset('transformer-seq2seq')!.spec.inputs,
    );
    const pair = sampleDataset(dates, 'train', 0, 1).samples[0]!;
    expect(pair.fields!.map((f) => f.name)).toEqual(['source', 'target']);
    expect(pair.fields![1]!.tokens.map((t) => t.text).join('')).toBe(pair.fields![1]!.text); // characters
    expect(inspectDataset(dates).text!.lengths.map((l) => l.name)).toEqual(['source', 'target']);

    const tagged = generateEntityTagging(40, 1);
    const tagging = buildInspectionContext(
      summaryOf('entity-tagging'),
      tagged,
      split,
      findPreset('transformer-tagger')!.spec.inputs,
    );
    const sentence = sampleDataset(tagging, 'train', 0, 1).samples[0]!;
    expect(sentence.tags).toEqual(tagged.tags[sentence.index]!.slice(0, sentence.fields![0]!.tokens.length));
    const tagTotal = tagged.tags.flat().length;
    const counts = inspectDataset(tagging).classCounts!.counts;
    expect([...counts.train, ...counts.validation, ...counts.test].reduce((a, b) => a + b, 0)).toBe(tagTotal);
  });
});
