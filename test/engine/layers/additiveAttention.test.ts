import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/engine/backend';
import { seededRandom } from '../../../src/engine/data/split/seededRandom';
import { AdditiveAttention } from '../../../src/engine/layers/additiveAttention';
import { AttentionPooling } from '../../../src/engine/layers/attentionPooling';
import { expectClose } from '../../support/tensorAssertions';

const random = seededRandom(8);
const values = (n: number) => Array.from({ length: n }, () => random() * 2 - 1);

function softmax(scores: number[]): number[] {
  const top = Math.max(...scores);
  const exps = scores.map((s) => Math.exp(s - top));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

/** v . tanh(a W1 + b W2 + bias) for row vectors a, b, in float64. */
function additiveScore(a: number[], b: number[], w1: number[], w2: number[], bias: number[], v: number[]): number {
  const units = bias.length;
  let score = 0;
  for (let u = 0; u < units; u++) {
    let hidden = bias[u]!;
    a.forEach((value, i) => (hidden += value * w1[i * units + u]!));
    b.forEach((value, i) => (hidden += value * w2[i * units + u]!));
    score += v[u]! * Math.tanh(hidden);
  }
  return score;
}

const randomizeWeights = (layer: { getWeights(): tf.Tensor[]; setWeights(w: tf.Tensor[]): void }) =>
  layer.setWeights(layer.getWeights().map((w) => tf.tensor(values(w.size), w.shape)));
const weightsOf = (layer: { getWeights(): tf.Tensor[] }) =>
  Promise.all(layer.getWeights().map(async (w) => [...(await w.data())]));

describe('additive attention and attention pooling', () => {
  beforeAll(async () => {
    await selectBackend(process.env['WORKBENCH_BACKEND']);
  });

  it('additive attention scores v.tanh(q Wq + k Wk + b), masks padding keys and sums the keys', async () => {
    const [B, Tq, Tk, Dq, Dk] = [2, 3, 4, 5, 6];
    const q = values(B * Tq * Dq);
    const k = values(B * Tk * Dk);
    const mask = [1, 1, 1, 0, 1, 1, 0, 0];
    const layer = new AdditiveAttention({ units: 7 });
    const inputs = () => [tf.tensor3d(q, [B, Tq, Dq]), tf.tensor3d(k, [B, Tk, Dk]), tf.tensor2d(mask, [B, Tk])];
    tf.dispose(layer.apply(inputs()) as tf.Tensor[]);
    randomizeWeights(layer);
    const [context, weights] = layer.apply(inputs()) as tf.Tensor[];
    const [wq, wk, bias, v] = await weightsOf(layer);
    const expectedWeights: number[] = [];
    const expectedContext: number[] = [];
    for (let b = 0; b < B; b++)
      for (let i = 0; i < Tq; i++) {
        const query = q.slice((b * Tq + i) * Dq, (b * Tq + i + 1) * Dq);
        const key = (j: number) => k.slice((b * Tk + j) * Dk, (b * Tk + j + 1) * Dk);
        const scores = Array.from({ length: Tk }, (_, j) =>
          mask[b * Tk + j] ? additiveScore(query, key(j), wq!, wk!, bias!, v!) : -Infinity,
        );
        const row = softmax(scores);
        expectedWeights.push(...row);
        expectedContext.push(
          ...Array.from({ length: Dk }, (_, d) => row.reduce((sum, a, j) => sum + a * key(j)[d]!, 0)),
        );
      }
    expect(weights!.shape).toEqual([B, 1, Tq, Tk]);
    expectClose(await weights!.data(), expectedWeights, 1e-5);
    expectClose(await context!.data(), expectedContext, 1e-5);
    const rows = await tf.sum(weights!, -1).data();
    expectClose(rows, new Array(B * Tq).fill(1), 1e-5);
  });

  it('additive self-attention takes its sequence once', async () => {
    const [B, T, D] = [1, 3, 4];
    const x = values(B * T * D);
    const layer = new AdditiveAttention({ units: 3, self: true });
    const [context, weights] = layer.apply([tf.tensor3d(x, [B, T, D]), tf.tensor2d([1, 1, 0], [B, T])]) as tf.Tensor[];
    expect(context!.shape).toEqual([B, T, D]);
    const w = await weights!.data();
    for (let i = 0; i < T; i++) expect(w[i * T + 2]).toBeLessThan(1e-6);
  });

  it('attention pooling is a softmax-weighted sum of the real positions', async () => {
    const [B, T, D] = [2, 5, 3];
    const h = values(B * T * D);
    const mask = [1, 1, 1, 1, 1, 1, 1, 0, 0, 0];
    const layer = new AttentionPooling({ units: 4 });
    const inputs = () => [tf.tensor3d(h, [B, T, D]), tf.tensor2d(mask, [B, T])];
    tf.dispose(layer.apply(inputs()) as tf.Tensor[]);
    randomizeWeights(layer);
    const [pooled, weights] = layer.apply(inputs()) as tf.Tensor[];
    const [kernel, bias, v] = await weightsOf(layer);
    const expectedWeights: number[] = [];
    const expectedPooled: number[] = [];
    for (let b = 0; b < B; b++) {
      const row = (t: number) => h.slice((b * T + t) * D, (b * T + t + 1) * D);
      const scores = Array.from({ length: T }, (_, t) =>
        mask[b * T + t] ? additiveScore(row(t), [], kernel!, [], bias!, v!) : -Infinity,
      );
      const a = softmax(scores);
      expectedWeights.push(...a);
      expectedPooled.push(...Array.from({ length: D }, (_, d) => a.reduce((sum, w, t) => sum + w * row(t)[d]!, 0)));
    }
    expect(weights!.shape).toEqual([B, 1, 1, T]);
    expectClose(await weights!.data(), expectedWeights, 1e-5);
    expectClose(await pooled!.data(), expectedPooled, 1e-5);
  });
});
