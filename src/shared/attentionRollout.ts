import type { AttentionLayerSnapshot } from './events';

/** How much each input token reaches the output through every attention layer, and which layers were used. */
export interface AttentionRollout {
  labels: string[];
  /** One weight per input token, summing to 1. */
  weights: number[];
  layers: string[];
}

type Layer = Pick<
  AttentionLayerSnapshot,
  'layer' | 'kind' | 'heads' | 'queries' | 'keys' | 'weights' | 'keyLabels' | 'patches'
>;

/** The heads' mean of one layer, as a queries x keys matrix (row-major). */
export function meanOverHeads(layer: Pick<Layer, 'heads' | 'queries' | 'keys' | 'weights'>): Float64Array {
  const { heads, queries, keys, weights } = layer;
  const mean = new Float64Array(queries * keys);
  for (let h = 0; h < heads; h++)
    for (let i = 0; i < queries * keys; i++) mean[i]! += weights[h * queries * keys + i]! / heads;
  return mean;
}

/**
 * Attention rollout (Abnar & Zuidema 2020, "Quantifying Attention Flow in Transformers"): each self-attention layer
 * over the input's tokens, its heads averaged, mixed half and half with the identity for the residual connection
 * and its rows renormalised, is multiplied into the product of the layers below. The result is read by a final
 * attention pooling (one query) if the model has one, by the class token's row in a ViT that has one (its head
 * reads that token), else averaged over the positions. Layers over another
 * sequence (a decoder's) are left out; null when no layer attends over the first layer's tokens.
 */
export function attentionRollout(layers: readonly Layer[]): AttentionRollout | null {
  const self = layers.filter((l) => l.kind === 'tokens' && l.queries === l.keys && l.queries > 1);
  const first = self[0];
  if (!first) return null;
  const n = first.keys;
  const sameTokens = (l: Layer) => l.keys === n && l.keyLabels.join('\u0000') === first.keyLabels.join('\u0000');
  const used = self.filter((l) => l.queries === n && sameTokens(l));
  // rollout starts as the identity: each position is itself.
  let rollout = new Float64Array(n * n);
  for (let i = 0; i < n; i++) rollout[i * n + i] = 1;
  for (const layer of used) {
    const mixed = meanOverHeads(layer);
    for (let q = 0; q < n; q++) {
      let total = 0;
      for (let k = 0; k < n; k++) {
        mixed[q * n + k] = 0.5 * mixed[q * n + k]! + (q === k ? 0.5 : 0);
        total += mixed[q * n + k]!;
      }
      for (let k = 0; k < n; k++) mixed[q * n + k]! /= total || 1;
    }
    const next = new Float64Array(n * n);
    for (let q = 0; q < n; q++)
      for (let m = 0; m < n; m++) {
        const a = mixed[q * n + m]!;
        if (a !== 0) for (let k = 0; k < n; k++) next[q * n + k]! += a * rollout[m * n + k]!;
      }
    rollout = next;
  }
  const pooling = layers.find((l) => l.kind === 'tokens' && l.queries === 1 && sameTokens(l));
  const reader = pooling ? meanOverHeads(pooling) : new Float64Array(n).fill(first.patches?.classToken ? 0 : 1 / n);
  if (!pooling && first.patches?.classToken) reader[0] = 1;
  const weights = Array.from({ length: n }, (_, k) => {
    let sum = 0;
    for (let q = 0; q < n; q++) sum += reader[q]! * rollout[q * n + k]!;
    return sum;
  });
  const total = weights.reduce((a, b) => a + b, 0) || 1;
  return {
    labels: first.keyLabels.slice(0, n),
    weights: weights.map((w) => w / total),
    layers: [...used.map((l) => l.layer), ...(pooling ? [pooling.layer] : [])],
  };
}
