function ngrams<T>(items: readonly T[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= items.length; i++) {
    const key = items.slice(i, i + n).join('\u0001');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function overlap(candidate: Map<string, number>, reference: Map<string, number>): number {
  let matches = 0;
  for (const [gram, count] of candidate) matches += Math.min(count, reference.get(gram) ?? 0);
  return matches;
}

const total = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);

/**
 * Corpus BLEU-4 (Papineni et al. 2002) over whitespace tokens, one reference per sentence: the geometric mean of
 * the clipped 1- to 4-gram precisions summed over the corpus, times the brevity penalty; 0 when any is 0 (no
 * smoothing, as sacrebleu's default 'exp' leaves it). In [0, 1].
 */
export function corpusBleu(candidates: readonly string[], references: readonly string[]): number {
  let [candidateLength, referenceLength] = [0, 0];
  const matches = [0, 0, 0, 0];
  const possible = [0, 0, 0, 0];
  candidates.forEach((candidate, i) => {
    const hyp = candidate.split(/\s+/).filter(Boolean);
    const ref = (references[i] ?? '').split(/\s+/).filter(Boolean);
    candidateLength += hyp.length;
    referenceLength += ref.length;
    for (let n = 1; n <= 4; n++) {
      const grams = ngrams(hyp, n);
      matches[n - 1]! += overlap(grams, ngrams(ref, n));
      possible[n - 1]! += total(grams);
    }
  });
  if (matches.some((m) => m === 0) || candidateLength === 0) return 0;
  const logPrecision = matches.reduce((sum, m, n) => sum + Math.log(m / possible[n]!), 0) / 4;
  const brevity = candidateLength >= referenceLength ? 1 : Math.exp(1 - referenceLength / candidateLength);
  return brevity * Math.exp(logPrecision);
}

/**
 * chrF (Popović 2015, as her chrF++ script computes it): character n-grams of order 1 to 6 with whitespace removed,
 * precision and recall on the corpus' summed counts, averaged over the orders, combined as F-beta with beta 2. In
 * [0, 1].
 */
export function corpusChrF(candidates: readonly string[], references: readonly string[], beta = 2): number {
  const order = 6;
  const [matches, hypTotals, refTotals] = [
    new Array(order).fill(0),
    new Array(order).fill(0),
    new Array(order).fill(0),
  ];
  candidates.forEach((candidate, i) => {
    const hyp = [...candidate.replace(/\s+/g, '')];
    const ref = [...(references[i] ?? '').replace(/\s+/g, '')];
    for (let n = 1; n <= order; n++) {
      const [h, r] = [ngrams(hyp, n), ngrams(ref, n)];
      matches[n - 1] += overlap(h, r);
      hypTotals[n - 1] += total(h);
      refTotals[n - 1] += total(r);
    }
  });
  let [precision, recall, orders] = [0, 0, 0];
  for (let n = 0; n < order; n++) {
    if (hypTotals[n] === 0 || refTotals[n] === 0) continue;
    precision += matches[n] / hypTotals[n];
    recall += matches[n] / refTotals[n];
    orders++;
  }
  if (orders === 0) return 0;
  [precision, recall] = [precision / orders, recall / orders];
  const b2 = beta * beta;
  return precision + recall === 0 ? 0 : ((1 + b2) * precision * recall) / (b2 * precision + recall);
}
