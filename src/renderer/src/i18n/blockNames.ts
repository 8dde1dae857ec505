import type { PaletteGroup } from '../../../shared/architecture/opCatalog';
import { i18n, t } from './index';

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

/**
 * A block's name in the shown language: an op's name (conv2d) or an input's kind (image). An op the messages do not
 * know yet (a spec from a newer version) keeps the name its spec or catalog gives.
 */
export function blockLabel(kind: string, fallback: string): string {
  const key = `blocks.${kind}`;
  return i18n.global.te(key, 'en') ? t(key) : fallback;
}

export const groupLabel = (group: PaletteGroup): string => t(`blockGroups.${GROUP_KEYS[group]}`);
