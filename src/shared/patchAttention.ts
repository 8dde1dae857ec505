import { attentionRollout } from './attentionRollout';
import type { AttentionLayerSnapshot, PatchGrid } from './events';

/** The positions a patch grid makes: its patches, and the class token before them when there is one. */
export const patchPositions = (grid: PatchGrid) => grid.rows * grid.columns + (grid.classToken ? 1 : 0);

/** How a patch is named, on the attention views' axes and in their data: row and column, "r2c5". */
export const patchLabel = (index: number, columns: number) => `r${Math.floor(index / columns)}c${index % columns}`;

/** The labels of a grid's positions: the class token, then each patch by its row and column. */
export const patchLabels = (grid: PatchGrid) => [
  ...(grid.classToken ? ['[CLS]'] : []),
  ...Array.from({ length: grid.rows * grid.columns }, (_, i) => patchLabel(i, grid.columns)),
];

/** One weight per patch of an image, row by row, scaled so that the largest is 1: what the image views draw. */
export interface PatchMap {
  rows: number;
  columns: number;
  weights: Float64Array;
}

type Layer = Pick<
  AttentionLayerSnapshot,
  'layer' | 'kind' | 'heads' | 'queries' | 'keys' | 'weights' | 'keyLabels' | 'patches'
>;

/** The patches' weights, the class token's left out, scaled to a largest of 1 (a flat map stays flat). */
function overPatches(grid: PatchGrid, weights: ArrayLike<number>): PatchMap {
  const offset = grid.classToken ? 1 : 0;
  const patches = Float64Array.from({ length: grid.rows * grid.columns }, (_, i) => weights[offset + i]!);
  const largest = Math.max(...patches);
  if (largest > 0) for (let i = 0; i < patches.length; i++) patches[i]! /= largest;
  return { rows: grid.rows, columns: grid.columns, weights: patches };
}

/** The layers whose keys are an image's patches (a ViT's self-attention), in model order. */
export const patchLayers = <L extends Layer>(layers: readonly L[]): L[] =>
  layers.filter((layer) => layer.kind === 'tokens' && layer.patches);

/**
 * Attention rollout over the patches (Abnar & Zuidema 2020): how much each patch reaches the class token (or, without
 * one, every position on average) through all the self-attention layers; null for a model without patch attention.
 */
export function patchRollout(layers: readonly Layer[]): { map: PatchMap; layers: string[] } | null {
  const over = patchLayers(layers);
  const grid = over[0]?.patches;
  const rollout = grid ? attentionRollout(over) : null;
  return rollout && grid ? { map: overPatches(grid, rollout.weights), layers: rollout.layers } : null;
}

/**
 * What one head of a patch layer looks at: the class token's row of its attention (the query the classifier reads);
 * without a class token, the attention each patch receives, averaged over the queries.
 */
export function headOverPatches(layer: Layer, head: number): PatchMap {
  const grid = layer.patches!;
  const { queries, keys, weights } = layer;
  const base = head * queries * keys;
  if (grid.classToken) return overPatches(grid, weights.subarray(base, base + keys));
  const received = new Float64Array(keys);
  for (let q = 0; q < queries; q++)
    for (let k = 0; k < keys; k++) received[k]! += weights[base + q * keys + k]! / queries;
  return overPatches(grid, received);
}
