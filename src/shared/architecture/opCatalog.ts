import type { OpName } from './ops';
import { OP_DEFINITIONS } from './ops/index';
import type { OpDescription } from './ops/opDescription';

// Defined beside the op modules, which declare their own description; read here with the catalog.
export { PALETTE_GROUPS, type OpDescription, type PaletteGroup } from './ops/opDescription';

/** The two kinds of input block; they become the spec's inputs rather than nodes. */
export type InputKind = 'image' | 'tokens';
/** What a palette entry places: an input of some kind, or a node of some op. */
export type BlockKind = { input: InputKind } | { op: OpName };

/** Palette names, groups and one-line explanations of every op and parameter, read off the op modules (ops/). */
export const OP_CATALOG = Object.fromEntries(
  Object.entries(OP_DEFINITIONS).map(([name, definition]) => [name, definition.catalog]),
) as Record<OpName, OpDescription>;

/** What the palette shows for the two input kinds. */
export const INPUT_CATALOG: Record<InputKind, { label: string; summary: string; params: Record<string, string> }> = {
  image: {
    label: 'Image input',
    summary: "Images of height x width x channels; training resizes them to the dataset's images.",
    params: { height: 'Rows of pixels.', width: 'Columns of pixels.', channels: '1 for grey, 3 for colour.' },
  },
  tokens: {
    label: 'Token input',
    summary: 'A sequence of token ids, cut or padded to the max length.',
    params: {
      maxLength: 'Tokens per example; longer texts are cut.',
      vocabSize: 'The largest vocabulary the tokenizer may build.',
    },
  },
};
