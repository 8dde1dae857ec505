import type { AttentionLayerSnapshot } from './events';

/** What a head does with its attention, averaged over the queries of one example. */
export interface HeadStatistics {
  /** Mean entropy of a query's weights, in nats: 0 when each query looks at one key, ln(keys) when at all alike. */
  entropy: number;
  /** Mean |query - key| position distance under the weights (self-attention over tokens only; else null). */
  meanDistance: number | null;
}

/**
 * Entropy and mean attention distance of every head of a layer (Clark et al. 2019, "What does BERT look at?"): a
 * head whose entropy falls over training has specialised; one near ln(keys) attends uniformly. Rows are queries,
 * columns keys; padding keys carry (almost) no weight, so they add nothing.
 */
export function headStatistics(
  layer: Pick<AttentionLayerSnapshot, 'kind' | 'heads' | 'queries' | 'keys' | 'weights'>,
): HeadStatistics[] {
  const { heads, queries, keys, weights } = layer;
  // Position distance means something only where queries and keys are the same sequence.
  const positional = layer.kind === 'tokens' && queries === keys;
  return Array.from({ length: heads }, (_, head) => {
    let [entropy, distance] = [0, 0];
    for (let q = 0; q < queries; q++) {
      const row = (head * queries + q) * keys;
      for (let k = 0; k < keys; k++) {
        const w = weights[row + k]!;
        if (w > 0) entropy -= w * Math.log(w);
        distance += w * Math.abs(q - k);
      }
    }
    return { entropy: entropy / queries, meanDistance: positional ? distance / queries : null };
  });
}
