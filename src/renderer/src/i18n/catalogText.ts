import type { PaletteGroup } from '../../../shared/architecture/opCatalog';
import { i18n, t } from './index';

/**
 * The app's own catalog in the shown language: built-in presets and datasets, and the editor's block help. Anything
 * the messages do not hold (an imported dataset, a spec from a newer version) keeps the text it came with.
 */
function known(key: string, fallback: string): string {
  return i18n.global.te(key, 'en') ? t(key) : fallback;
}

export const presetName = (preset: { id: string; name: string }) => known(`presetTexts.${preset.id}.name`, preset.name);
export const presetDescription = (preset: { id: string; description: string }) =>
  known(`presetTexts.${preset.id}.description`, preset.description);

export const datasetName = (dataset: { id: string; name: string }) =>
  known(`datasetTexts.${dataset.id}.name`, dataset.name);
export const datasetDescription = (dataset: { id: string; description: string }) =>
  known(`datasetTexts.${dataset.id}.description`, dataset.description);
export const datasetSource = (dataset: { id: string; source: string }) =>
  known(`datasetTexts.${dataset.id}.source`, dataset.source);

/** A block's one-line summary: `kind` is an op's name or an input's kind (image, tokens). */
export const blockSummary = (kind: string, fallback: string) => known(`blockHelp.${kind}.summary`, fallback);
/** What one parameter of a block changes. */
export const paramHelp = (kind: string, param: string, fallback: string) =>
  known(`blockHelp.${kind}.params.${param}`, fallback);

/** A block's name: an op's name (conv2d) or an input's kind (image). */
export const blockLabel = (kind: string, fallback: string) => known(`blocks.${kind}`, fallback);

const GROUP_KEYS: Record<PaletteGroup, string> = {
  Inputs: 'inputs',
  Convolution: 'convolution',
  Recurrent: 'recurrent',
  Attention: 'attention',
  Transformer: 'transformer',
  'Dense & regularisation': 'dense',
  Merge: 'merge',
  Output: 'output',
};

export const groupLabel = (group: PaletteGroup): string => t(`blockGroups.${GROUP_KEYS[group]}`);
