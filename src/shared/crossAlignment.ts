import { meanOverHeads } from './attentionRollout';
import type { AttentionLayerSnapshot } from './events';

/**
 * The alignment of a decoded sentence to its source (Bahdanau et al. 2015's figure): the last cross-attention layer,
 * its heads averaged, as one queries x keys map, the decoded tokens down and the source's across; and for each
 * decoded token the source token it attends to most. Cross-attention is the token layer whose keys are the source's
 * tokens and whose queries are not; null when the model has none.
 */
export function crossAlignment(
  layers: readonly AttentionLayerSnapshot[],
  sourceTokens: readonly string[],
): { layer: AttentionLayerSnapshot; aligned: number[] } | null {
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  const cross = layers.filter(
    (l) => l.kind === 'tokens' && same(l.keyLabels, sourceTokens) && !same(l.queryLabels, l.keyLabels),
  );
  const last = cross.at(-1);
  if (!last) return null;
  const { heads, queries, keys } = last;
  const mean = Float32Array.from(meanOverHeads(last));
  const aligned = Array.from({ length: queries }, (_, q) => {
    let best = 0;
    for (let k = 1; k < keys; k++) if (mean[q * keys + k]! > mean[q * keys + best]!) best = k;
    return best;
  });
  return { layer: { ...last, layer: `${last.layer} (mean of ${heads} heads)`, heads: 1, weights: mean }, aligned };
}
