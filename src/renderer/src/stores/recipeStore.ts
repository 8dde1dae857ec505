import { defineStore } from 'pinia';
import { reactive, ref } from 'vue';
import { hyperParamsSchema, type HyperParams, type HyperParamsInput } from '../../../shared/hyperParams';
import type { TokenizerKind, TokenizerSettings } from '../../../shared/tokenizerSettings';

/**
 * The training recipe as the user sets it before pressing Train: hyper-parameters (the schema's defaults), the
 * tokenizer, and the run to start from. It reads no other store, so that the datasets store (which inspects with the
 * recipe's split and tokenizer) and the training store (which sends it) can both read it without reading each other.
 */
export const useRecipeStore = defineStore('recipe', () => {
  const hyperParams = reactive(hyperParamsSchema.parse({}));
  /** The tokenizer the Datasets view previews and training uses; 'auto' takes the dataset's suggestion. */
  const tokenizer = reactive({
    kind: 'auto' as TokenizerKind | 'auto',
    vocabSize: null as number | null,
    minFrequency: 1,
  });
  /** A finished run whose weights the next run starts from (fine-tuning); empty for a fresh start. */
  const initFromRun = ref('');
  /** The fields the last chosen preset set, so that the next preset puts them back to the app's defaults. */
  let presetFields: (keyof HyperParams)[] = [];

  /** Starts the recipe from a preset's own fields (its epochs, schedule...); those of the previous preset reset. */
  function applyPresetRecipe(recipe: HyperParamsInput | undefined): void {
    const defaults = hyperParamsSchema.parse({});
    const fields = Object.keys(recipe ?? {}) as (keyof HyperParams)[];
    const next = hyperParamsSchema.parse({ ...defaults, ...recipe });
    for (const field of [...presetFields, ...fields]) Object.assign(hyperParams, { [field]: next[field] });
    presetFields = fields;
  }

  /** What train:start and the inspection send, for a dataset that suggests `suggested`: nothing when all default. */
  function tokenizerSettingsFor(suggested: TokenizerKind): TokenizerSettings | undefined {
    if (tokenizer.kind === 'auto' && tokenizer.vocabSize === null && tokenizer.minFrequency === 1) return undefined;
    return {
      kind: tokenizer.kind === 'auto' ? suggested : tokenizer.kind,
      minFrequency: tokenizer.minFrequency,
      ...(tokenizer.vocabSize ? { vocabSize: tokenizer.vocabSize } : {}),
    };
  }

  return { hyperParams, tokenizer, initFromRun, tokenizerSettingsFor, applyPresetRecipe };
});
