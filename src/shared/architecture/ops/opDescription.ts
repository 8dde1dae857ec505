/** The palette's groups, in the order they are shown. */
export const PALETTE_GROUPS = [
  'Inputs',
  'Convolution',
  'Recurrent',
  'Attention',
  'Transformer',
  'Dense & regularisation',
  'Merge',
  'Output',
] as const;
export type PaletteGroup = (typeof PALETTE_GROUPS)[number];

/** How the palette and the inspector present one op: what each op module declares (defineOp.ts). */
export interface OpDescription {
  label: string;
  group: PaletteGroup;
  /** One line: what the block computes. */
  summary: string;
  /** One line per parameter: what it changes. Every parameter of the op's schema has one (a test checks). */
  params: Record<string, string>;
  /** Values a new block starts with, for the parameters that have no default in the schema. */
  starting?: Record<string, unknown>;
  /** Names of the input slots when the op reads a fixed number of distinct inputs (target and memory, ...). */
  slots?: string[];
}
