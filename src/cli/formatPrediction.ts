import type { AttentionLayerSnapshot } from '../shared/events';
import type { Prediction } from '../shared/prediction';

const percent = (p: number) => `${(p * 100).toFixed(1)}%`;
const bar = (p: number) => '█'.repeat(Math.round(p * 20));

/** Each query's most attended key, averaged over the heads: "query → key (weight)". */
function strongestKeys(layer: AttentionLayerSnapshot): string[] {
  const { heads, queries, keys, weights } = layer;
  return Array.from({ length: queries }, (_, q) => {
    let [best, bestWeight] = [0, -1];
    for (let k = 0; k < keys; k++) {
      let mean = 0;
      for (let h = 0; h < heads; h++) mean += weights[(h * queries + q) * keys + k]! / heads;
      if (mean > bestWeight) [best, bestWeight] = [k, mean];
    }
    return `${layer.queryLabels[q]} → ${layer.keyLabels[best]} (${bestWeight.toFixed(2)})`;
  });
}

/** `npm run predict`'s answer for a person: the prediction, then where each attention layer looked. */
export function formatPrediction(prediction: Prediction, modelName: string): string {
  const { attention } = prediction;
  const lines = [
    `run ${prediction.runId} (${modelName}), ${prediction.weights.slot} weights after epoch ${prediction.weights.epoch}`,
  ];
  if (attention.tokens.length > 0) lines.push(`tokens: ${attention.tokens.join(' ')}`);
  if (attention.label) lines.push(`right answer: ${attention.label}`);
  if (attention.decoded) {
    const d = attention.decoded;
    lines.push(`greedy: ${d.greedy}  (log p ${d.greedyLogProb.toFixed(2)})`);
    lines.push(`beam ${d.beamWidth}: ${d.beam}  (log p ${d.beamLogProb.toFixed(2)})`);
  } else if (prediction.tags.length > 0) {
    lines.push('prediction:');
    const width = Math.max(...prediction.tags.map((t) => t.token.length));
    for (const t of prediction.tags) lines.push(`  ${t.token.padEnd(width)}  ${t.tag} ${percent(t.probability)}`);
  } else {
    lines.push(`prediction: ${prediction.probabilities[0]?.label ?? '?'}`);
    const width = Math.max(...prediction.probabilities.map((p) => p.label.length));
    for (const p of prediction.probabilities) {
      lines.push(`  ${p.label.padEnd(width)} ${percent(p.probability).padStart(6)} ${bar(p.probability)}`);
    }
  }
  for (const layer of attention.layers) {
    if (layer.kind !== 'tokens') {
      lines.push(`${layer.layer}: ${layer.kind} gates ${layer.queries}x${layer.keys} (see the app's overlay)`);
      continue;
    }
    lines.push(`${layer.layer} (${layer.heads} heads, mean): ${strongestKeys(layer).slice(0, 24).join(', ')}`);
  }
  return lines.join('\n');
}
