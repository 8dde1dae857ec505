import { describe, expect, it } from 'vitest';
import { BUILTIN_DATASETS } from '../../src/engine/data/builtin/catalog';
import { createTranslator } from '../../src/shared/i18n/translator';
import { INPUT_CATALOG, OP_CATALOG } from '../../src/shared/architecture/opCatalog';
import { PRESETS } from '../../src/shared/architecture/presets';

/**
 * The catalog's English lives in the code (ops, presets, built-in datasets) and, for translation, in en.json too:
 * the two must say the same, or English readers would see a text the code no longer has.
 */
describe("the catalog's texts in the message files", () => {
  const english = createTranslator('en');
  const chinese = createTranslator('zh-CN');

  it('say in English exactly what the op catalog says, and have a Chinese text for each', () => {
    const blocks = { ...INPUT_CATALOG, ...OP_CATALOG } as Record<
      string,
      { summary: string; params: Record<string, string> }
    >;
    for (const [kind, block] of Object.entries(blocks)) {
      expect(english(`blockHelp.${kind}.summary`), kind).toBe(block.summary);
      expect(chinese(`blockHelp.${kind}.summary`), kind).not.toBe(block.summary);
      for (const [param, help] of Object.entries(block.params)) {
        expect(english(`blockHelp.${kind}.params.${param}`), `${kind}.${param}`).toBe(help);
        expect(chinese(`blockHelp.${kind}.params.${param}`), `${kind}.${param}`).toMatch(/[\u4e00-\u9fff]/);
      }
    }
  });

  it('name and describe every preset and built-in dataset as the code does, and in Chinese', () => {
    for (const preset of PRESETS) {
      expect(english(`presetTexts.${preset.id}.name`)).toBe(preset.name);
      expect(english(`presetTexts.${preset.id}.description`)).toBe(preset.description);
      expect(chinese(`presetTexts.${preset.id}.name`)).toMatch(/[\u4e00-\u9fff]/);
    }
    for (const dataset of BUILTIN_DATASETS) {
      expect(english(`datasetTexts.${dataset.id}.name`)).toBe(dataset.name);
      expect(english(`datasetTexts.${dataset.id}.description`)).toBe(dataset.description);
      expect(english(`datasetTexts.${dataset.id}.source`)).toBe(dataset.source);
      expect(chinese(`datasetTexts.${dataset.id}.description`)).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});
