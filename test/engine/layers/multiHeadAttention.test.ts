import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { MultiHeadAttention } from '../../../src/engine/layers/multiHeadAttention';
import { seededRandom } from '../../../src/engine/data/split/seededRandom';
import { expectClose } from '../../support/tensorAssertions';

type Matrix = number[][];

const B = 2;
const T = 4;
const D = 6;
const H = 2;
const dk = D / H;

/** Plain float64 multi-head attention, written from the paper's formula, for comparison. */
function referenceAttention(
  x: number[][][],
  w: { q: Matrix; k: Matrix; v: Matrix; o: Matrix; bq: number[]; bk: number[]; bv: number[]; bo: number[] },
  mask: number[][] | null,
  causal = false,
  keyValue: number[][][] = x,
) {
  const linear = (rows: number[][], kernel: Matrix, bias: number[]) =>
    rows.map((row) => bias.map((b, j) => b + row.reduce((sum, value, i) => sum + value * kernel[i]![j]!, 0)));
  const outputs: number[][][] = [];
  const weights: number[][][][] = [];
  for (let b = 0; b < B; b++) {
    const q = linear(x[b]!, w.q, w.bq);
    const k = linear(keyValue[b]!, w.k, w.bk);
    const v = linear(keyValue[b]!, w.v, w.bv);
    const concat = x[b]!.map(() => new Array<number>(D).fill(0));
    const headWeights: number[][][] = [];
    for (let h = 0; h < H; h++) {
      const rows: number[][] = [];
      for (let i = 0; i < T; i++) {
        const scores = Array.from({ length: keyValue[b]!.length }, (_, j) => {
          let s = 0;
          for (let d = 0; d < dk; d++) s += q[i]![h * dk + d]! * k[j]![h * dk + d]!;
          const blocked = (mask && mask[b]![j] === 0) || (causal && j > i);
          return blocked ? -Infinity : s / Math.sqrt(dk);
        });
        const top = Math.max(...scores);
        const exps = scores.map((s) => Math.exp(s - top));
        const total = exps.reduce((a, e) => a + e, 0);
        const row = exps.map((e) => e / total);
        rows.push(row);
        for (let d = 0; d < dk; d++)
          concat[i]![h * dk + d] = row.reduce((sum, p, j) => sum + p * v[j]![h * dk + d]!, 0);
      }
      headWeights.push(rows);
    }
    outputs.push(linear(concat, w.o, w.bo));
    weights.push(headWeights);
  }
  return { outputs, weights };
}

describe('MultiHeadAttention', () => {
  const random = seededRandom(3);
  const matrix = (rows: number, cols: number) =>
    Array.from({ length: rows }, () => Array.from({ length: cols }, () => random() * 2 - 1));
  const x = Array.from({ length: B }, () => matrix(T, D));
  const w = {
    q: matrix(D, D),
    k: matrix(D, D),
    v: matrix(D, D),
    o: matrix(D, D),
    bq: matrix(1, D)[0]!,
    bk: matrix(1, D)[0]!,
    bv: matrix(1, D)[0]!,
    bo: matrix(1, D)[0]!,
  };
  // The second sequence has two padding positions at the end.
  const mask = [
    [1, 1, 1, 1],
    [1, 1, 0, 0],
  ];

  const makeLayer = (args: Partial<ConstructorParameters<typeof MultiHeadAttention>[0]> = {}) => {
    const layer = new MultiHeadAttention({ heads: H, ...args });
    layer.build([
      [B, T, D],
      [B, T],
    ]);
    layer.setWeights([w.q, w.bq, w.k, w.bk, w.v, w.bv, w.o, w.bo].map((values) => tf.tensor(values)));
    return layer;
  };

  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('matches a float64 reference, padding mask included, and its rows sum to 1', async () => {
    const layer = makeLayer();
    const [output, weights] = layer.apply([tf.tensor3d(x), tf.tensor2d(mask)]) as tf.Tensor[];
    const expected = referenceAttention(x, w, mask);
    expect(output!.shape).toEqual([B, T, D]);
    expect(weights!.shape).toEqual([B, H, T, T]);
    expectClose(await output!.data(), expected.outputs.flat(2), 1e-4);
    expectClose(await weights!.data(), expected.weights.flat(3), 1e-5);
    const rows = (await weights!.array()) as number[][][][];
    for (const head of rows.flat(1)) for (const row of head) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    // Padding keys of the second sequence get no weight from any query.
    for (const head of rows[1]!) for (const row of head) expect(row[2]! + row[3]!).toBeLessThan(1e-6);
  });

  it('cross-attention: queries from one sequence attend to a longer, padded other sequence, as the reference does', async () => {
    const memory = Array.from({ length: B }, () => matrix(T + 2, D)); // Tk = 6
    const memoryMask = [
      [1, 1, 1, 1, 1, 0],
      [1, 1, 1, 0, 0, 0],
    ];
    const layer = new MultiHeadAttention({ heads: H, cross: true });
    layer.build([
      [B, T, D],
      [B, T + 2, D],
      [B, T + 2],
    ]);
    layer.setWeights([w.q, w.bq, w.k, w.bk, w.v, w.bv, w.o, w.bo].map((values) => tf.tensor(values)));
    const [output, weights] = layer.apply([
      tf.tensor3d(x),
      tf.tensor3d(memory),
      tf.tensor2d(memoryMask),
    ]) as tf.Tensor[];
    const expected = referenceAttention(x, w, memoryMask, false, memory);
    expect(weights!.shape).toEqual([B, H, T, T + 2]);
    expectClose(await output!.data(), expected.outputs.flat(2), 1e-4);
    expectClose(await weights!.data(), expected.weights.flat(3), 1e-5);
  });

  it('changes its output when the mask changes', async () => {
    const layer = makeLayer();
    const [masked] = layer.apply([tf.tensor3d(x), tf.tensor2d(mask)]) as tf.Tensor[];
    const [unmasked] = layer.apply([tf.tensor3d(x)]) as tf.Tensor[];
    const difference = tf.max(tf.abs(tf.sub(masked!, unmasked!))).dataSync()[0]!;
    expect(difference).toBeGreaterThan(1e-3);
    expectClose(await unmasked!.data(), referenceAttention(x, w, null).outputs.flat(2), 1e-4);
  });

  it('with a causal mask lets no query see a later key', async () => {
    const layer = makeLayer({ causal: true });
    const [output, weights] = layer.apply([tf.tensor3d(x)]) as tf.Tensor[];
    const expected = referenceAttention(x, w, null, true);
    expectClose(await output!.data(), expected.outputs.flat(2), 1e-4);
    expectClose(await weights!.data(), expected.weights.flat(3), 1e-5);
  });

  it('applies dropout to the weights only while training', () => {
    const layer = makeLayer({ dropout: 0.5 });
    const input = tf.tensor3d(x);
    const infer1 = (layer.apply([input], { training: false }) as tf.Tensor[])[0]!;
    const infer2 = (layer.apply([input], { training: false }) as tf.Tensor[])[0]!;
    const train = (layer.apply([input], { training: true }) as tf.Tensor[])[0]!;
    expect(tf.max(tf.abs(tf.sub(infer1, infer2))).dataSync()[0]).toBe(0);
    expect(tf.max(tf.abs(tf.sub(infer1, train))).dataSync()[0]).toBeGreaterThan(1e-3);
  });

  it('reports the output shapes it produces', () => {
    const layer = makeLayer();
    const outputs = layer.apply([tf.tensor3d(x), tf.tensor2d(mask)]) as tf.Tensor[];
    expect(
      layer.computeOutputShape([
        [B, T, D],
        [B, T],
      ]),
    ).toEqual(outputs.map((t) => t.shape));
  });

  it('round-trips its config', () => {
    const layer = makeLayer({ dropout: 0.2, causal: true, name: 'mha' });
    const config = layer.getConfig();
    const [registered, fromConfig] =
      tf.serialization.SerializationMap.getMap().classNameMap[MultiHeadAttention.className]!;
    const copy = fromConfig(registered, config) as MultiHeadAttention;
    expect(copy.getConfig()).toEqual(config);
    expect(copy).toBeInstanceOf(MultiHeadAttention);
  });

  it('refuses a head count that does not divide the width', () => {
    expect(() => new MultiHeadAttention({ heads: 4, name: 'bad' }).build([[B, T, D]])).toThrow(
      /4 heads do not divide the model width 6/,
    );
  });

  it('leaks no tensor', () => {
    const layer = makeLayer();
    const input = tf.tensor3d(x);
    const padding = tf.tensor2d(mask);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) tf.dispose(layer.apply([input, padding]) as tf.Tensor[]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
