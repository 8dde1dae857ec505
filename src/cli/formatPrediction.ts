import type { AttentionLayerSnapshot } from '../shared/events';
import type { Prediction } from '../shared/prediction';
import type { Translate } from '../shared/i18n/translator';
import { cliText } from './cliLanguage';

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
export function formatPrediction(prediction: Prediction, modelName: string, t: Translate = cliText): string {
  const { attention } = prediction;
  const lines = [
    t('cli.predictionHeader', {
      run: prediction.runId,
      model: modelName,
      slot: t(`playground.slots.${prediction.weights.slot}`),
      epoch: prediction.weights.epoch,
    }),
  ];
  if (attention.tokens.length > 0) lines.push(t('cli.tokens', { tokens: attention.tokens.join(' ') }));
  if (attention.label) lines.push(t('cli.rightAnswer', { label: attention.label }));
  if (attention.decoded) {
    const d = attention.decoded;
    lines.push(t('cli.greedy', { text: d.greedy, logProb: d.greedyLogProb.toFixed(2) }));
    lines.push(t('cli.beam', { width: d.beamWidth, text: d.beam, logProb: d.beamLogProb.toFixed(2) }));
  } else if (prediction.tags.length > 0) {
    lines.push(t('cli.prediction'));
    const width = Math.max(...prediction.tags.map((tag) => tag.token.length));
    for (const tag of prediction.tags)
      lines.push(`  ${tag.token.padEnd(width)}  ${tag.tag} ${percent(tag.probability)}`);
  } else {
    lines.push(t('cli.predictionIs', { label: prediction.probabilities[0]?.label ?? '?' }));
    const width = Math.max(...prediction.probabilities.map((p) => p.label.length));
    for (const p of prediction.probabilities) {
      lines.push(`  ${p.label.padEnd(width)} ${percent(p.probability).padStart(6)} ${bar(p.probability)}`);
    }
  }
  for (const layer of attention.layers) {
    if (layer.kind !== 'tokens') {
      lines.push(t('cli.gates', { layer: layer.layer, kind: layer.kind, queries: layer.queries, keys: layer.keys }));
      continue;
    }
    lines.push(
      t('cli.headsMean', {
        layer: layer.layer,
        heads: layer.heads,
        pairs: strongestKeys(layer).slice(0, 24).join(', '),
      }),
    );
  }
  return lines.join('\n');
}
