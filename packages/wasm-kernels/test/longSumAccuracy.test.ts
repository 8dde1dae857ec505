import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { BATCH_NORM_SUMS, BATCH_NORM_TRAINING, LAYER_NORM, LAYER_NORM_GRAD } from '../src/kernelNames';
import { heapSimd } from '../src/heap/heapSimd';
import { seededRandom, useBackend } from './support/backends';

const random = seededRandom(7);
/** A standard normal draw (Box-Muller). */
const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

/**
 * [rows, 8] float32: channels 0-3 around 300 with a spread of 0.6 (a large mean against its spread), 4-7 ReLU of a
 * standard normal (non-negative values whose running sum grows with the rows).
 */
function channels(rows: number): Float32Array {
  return Float32Array.from({ length: rows * 8 }, (_, i) => (i % 8 < 4 ? 300 + 0.6 * normal() : Math.max(0, normal())));
}

/** Per channel, in float64 from the float32 values: mean, variance, and the sums of dy and of dy (x - mean). */
function reference(x: Float32Array, dy: Float32Array, rows: number) {
  const mean = new Float64Array(8);
  const variance = new Float64Array(8);
  const [s1, size1, s2, size2] = [0, 1, 2, 3].map(() => new Float64Array(8)) as Float64Array[];
  for (let i = 0; i < x.length; i++) mean[i % 8] += x[i]! / rows;
  for (let i = 0; i < x.length; i++) variance[i % 8] += (x[i]! - mean[i % 8]!) ** 2 / rows;
  // The sums take the mean as the kernel is given it, in float32.
  const mean32 = Float32Array.from(mean);
  for (let i = 0; i < x.length; i++) {
    const term = dy[i]! * (x[i]! - mean32[i % 8]!);
    [s1![i % 8], size1![i % 8]] = [s1![i % 8]! + dy[i]!, size1![i % 8]! + Math.abs(dy[i]!)];
    [s2![i % 8], size2![i % 8]] = [s2![i % 8]! + term, size2![i % 8]! + Math.abs(term)];
  }
  return { mean, mean32, variance, s1: s1!, size1: size1!, s2: s2!, size2: size2! };
}

const relative = (value: number, exact: number) => Math.abs(value - exact) / Math.abs(exact);

/** The LAYER_NORM and LAYER_NORM_GRAD kernels on x and dy [rows, d] (beta 0): their outputs read back, tensors freed. */
function layerNormPass(x: Float32Array, dy: Float32Array, gammaValues: Float32Array, rows: number, epsilon: number) {
  const d = gammaValues.length;
  const input = tf.tensor2d(x, [rows, d]);
  const [gamma, beta] = [tf.tensor1d(gammaValues), tf.zeros([d])];
  const [y, mean, rstd] = tf.engine().runKernel(LAYER_NORM, { x: input, gamma, beta }, {
    epsilon,
  } as unknown as tf.NamedAttrMap) as tf.Tensor[];
  const gradient = tf.tensor2d(dy, [rows, d]);
  const [dx, dgamma, dbeta] = tf.engine().runKernel(LAYER_NORM_GRAD, {
    x: input,
    gamma,
    dy: gradient,
    mean: mean!,
    rstd: rstd!,
  }) as tf.Tensor[];
  const read = {
    mean: mean!.dataSync() as Float32Array,
    rstd: rstd!.dataSync() as Float32Array,
    dx: dx!.dataSync() as Float32Array,
    dgamma: dgamma!.dataSync() as Float32Array,
    dbeta: dbeta!.dataSync() as Float32Array,
  };
  tf.dispose([input, gamma, beta, y!, mean!, rstd!, gradient, dx!, dgamma!, dbeta!]);
  return read;
}

beforeAll(async () => {
  expect((await useBackend('wasm')).name).toBe('wasm');
  expect(heapSimd()).not.toBeNull();
});

describe("batch norm's moments and sums on the wasm heap, against float64", () => {
  for (const rows of [4096, 32 * 32 * 32]) {
    it(`${rows} rows: means and variances to float32's rounding, a mean-300 channel and ReLU channels alike`, () => {
      const x = channels(rows);
      const dy = Float32Array.from({ length: rows * 8 }, () => normal());
      const exact = reference(x, dy, rows);
      const [y, mean, variance] = tf.engine().runKernel(
        BATCH_NORM_TRAINING,
        {
          x: tf.tensor2d(x, [rows, 8]),
          scale: tf.ones([8]),
          offset: tf.zeros([8]),
        },
        { varianceEpsilon: 1e-3 } as unknown as tf.NamedAttrMap,
      ) as tf.Tensor[];
      const [m, v] = [mean!.dataSync(), variance!.dataSync()];
      // float32 holds a number to 6e-8 relative: one rounding of the exact figure, whatever the rows.
      for (let c = 0; c < 8; c++) {
        expect(relative(m[c]!, exact.mean[c]!), `mean of channel ${c}`).toBeLessThan(1.2e-7);
        expect(relative(v[c]!, exact.variance[c]!), `variance of channel ${c}`).toBeLessThan(2e-7);
      }
      const sums = tf.engine().runKernel(BATCH_NORM_SUMS, {
        x: tf.tensor2d(x, [rows, 8]),
        dy: tf.tensor2d(dy, [rows, 8]),
        mean: tf.tensor1d(exact.mean32),
      }) as tf.Tensor;
      const s = sums.dataSync();
      for (let c = 0; c < 8; c++) {
        // Against the sum of magnitudes: dy's signs cancel, so the sum itself may be small.
        expect(Math.abs(s[c]! - exact.s1[c]!) / exact.size1[c]!, `sum of dy, channel ${c}`).toBeLessThan(1.2e-7);
        expect(Math.abs(s[8 + c]! - exact.s2[c]!) / exact.size2[c]!, `sum of dy (x - mean), channel ${c}`).toBeLessThan(
          1.2e-7,
        );
      }
      tf.dispose([y!, mean!, variance!, sums]);
    });
  }
});

describe('sums and means over a long axis on the wasm heap, against float64', () => {
  // [outer, reduced, inner] around 300: a float32 running sum of 32,768 of them loses about 2e-6 relative.
  const around300 = (n: number) => Float32Array.from({ length: n }, () => 300 + 0.6 * normal());

  for (const [shape, axis] of [
    [[2, 32768, 8], 1],
    [[8, 4096], 1],
    [
      [4, 32, 32, 16],
      [1, 2],
    ],
  ] as [number[], number | number[]][]) {
    it(`sum and mean of [${shape}] over axis ${axis}: one float32 rounding of the exact figure`, () => {
      const values = around300(shape.reduce((a, b) => a * b, 1));
      const x = tf.tensor(values, shape);
      const axes = typeof axis === 'number' ? [axis] : axis;
      const reduced = axes.reduce((n, a) => n * shape[a]!, 1);
      const outer = shape.slice(0, axes[0]).reduce((a, b) => a * b, 1);
      const inner = shape.slice(axes.at(-1)! + 1).reduce((a, b) => a * b, 1);
      const exact = new Float64Array(outer * inner);
      for (let o = 0; o < outer; o++)
        for (let r = 0; r < reduced; r++)
          for (let i = 0; i < inner; i++) exact[o * inner + i] += values[(o * reduced + r) * inner + i]!;
      const [sum, mean] = [tf.sum(x, axis), tf.mean(x, axis)];
      const [s, m] = [sum.dataSync(), mean.dataSync()];
      exact.forEach((total, j) => {
        expect(relative(s[j]!, total), `sum ${j}`).toBeLessThan(1.2e-7);
        expect(relative(m[j]!, total / reduced), `mean ${j}`).toBeLessThan(1.2e-7);
      });
      tf.dispose([x, sum, mean]);
    });
  }
});

describe("layer norm's gamma and beta gradients over many rows, against float64", () => {
  it('32,768 rows of 8: one float32 rounding of each term, not one per row', () => {
    const [rows, d] = [32768, 8];
    const x = Float32Array.from({ length: rows * d }, () => 300 + 0.6 * normal());
    const dy = Float32Array.from({ length: rows * d }, () => 1 + normal());
    const { mean, rstd, dgamma, dbeta } = layerNormPass(x, dy, new Float32Array(d).fill(1), rows, 1e-5);
    // The reference takes each row's statistics as the kernel computed them, and sums in float64.
    const [mu, rs, g, b] = [mean, rstd, dgamma, dbeta];
    for (let c = 0; c < d; c++) {
      let [sumG, sizeG, sumB] = [0, 0, 0];
      for (let r = 0; r < rows; r++) {
        const term = dy[r * d + c]! * (x[r * d + c]! - mu[r]!) * rs[r]!;
        [sumG, sizeG, sumB] = [sumG + term, sizeG + Math.abs(term), sumB + dy[r * d + c]!];
      }
      // Each term is rounded once in float32 inside the kernel (x - mean, times rstd, times dy): 3 roundings.
      expect(Math.abs(g[c]! - sumG) / sizeG, `dgamma ${c}`).toBeLessThan(4e-7);
      expect(relative(b[c]!, sumB), `dbeta ${c}`).toBeLessThan(1.2e-7);
    }
  });
});

describe("layer norm's row statistics and row sums over a long row, against float64", () => {
  it('rows of 4,096 around 300 with a spread of 0.6: mean and 1/sqrt(var + eps) rounded once, dx within 2e-6', () => {
    const [rows, d, eps] = [4, 4096, 1e-5];
    const x = Float32Array.from({ length: rows * d }, () => 300 + 0.6 * normal());
    const dy = Float32Array.from({ length: rows * d }, () => 1 + normal());
    const gammaValues = Float32Array.from({ length: d }, () => 1 + 0.1 * normal());
    const { mean: mu, rstd: rs, dx: dxs } = layerNormPass(x, dy, gammaValues, rows, eps);
    let worstDx = 0;
    for (let r = 0; r < rows; r++) {
      // float64 throughout, from the float32 inputs.
      const row = Array.from(x.subarray(r * d, (r + 1) * d));
      const m = row.reduce((sum, v) => sum + v, 0) / d;
      const variance = row.reduce((sum, v) => sum + (v - m) ** 2, 0) / d;
      const r64 = 1 / Math.sqrt(variance + eps);
      // A float32 running sum of 4,096 values near 300 is off by ~1e-4 relative to the spread; these are rounded once.
      expect(Math.abs(mu[r]! - m), `mean of row ${r}`).toBeLessThan(300 * 2 ** -23);
      expect(relative(rs[r]!, r64), `rstd of row ${r}`).toBeLessThan(2e-6);
      // dx from the statistics as the kernel saved them (float32, as any float32 engine keeps them), in float64:
      // what is left is the kernel's own sums over the row.
      const xhat = row.map((v) => (v - mu[r]!) * rs[r]!);
      const g = Array.from({ length: d }, (_, c) => dy[r * d + c]! * gammaValues[c]!);
      const meanG = g.reduce((sum, v) => sum + v, 0) / d;
      const meanGX = g.reduce((sum, v, c) => sum + v * xhat[c]!, 0) / d;
      for (let c = 0; c < d; c++) {
        const want = rs[r]! * (g[c]! - meanG - xhat[c]! * meanGX);
        worstDx = Math.max(worstDx, Math.abs(dxs[r * d + c]! - want) / (rs[r]! * (Math.abs(g[c]!) + 1)));
      }
    }
    console.log(`layer norm over rows of ${d}: worst dx error ${worstDx.toExponential(2)}`);
    expect(worstDx).toBeLessThan(2e-6);
  });
});

describe("a product's long inner dimension, blocked in chunks of 256", () => {
  it('a weight gradient over 32,768 rows stays within its bound of 256 + k / 256 roundings', () => {
    const [k, m, n] = [32768, 8, 8];
    const x = Float32Array.from({ length: k * m }, () => 300 + 0.6 * normal());
    const dy = Float32Array.from({ length: k * n }, () => 1 + normal());
    const product = tf.matMul(tf.tensor2d(x, [k, m]), tf.tensor2d(dy, [k, n]), true, false);
    const values = product.dataSync();
    let worst = 0;
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let [sum, size] = [0, 0];
        for (let p = 0; p < k; p++) {
          const term = x[p * m + i]! * dy[p * n + j]!;
          [sum, size] = [sum + term, size + Math.abs(term)];
        }
        worst = Math.max(worst, Math.abs(values[i * n + j]! - sum) / size);
      }
    console.log(`X^T dY over ${k} rows: worst error ${worst.toExponential(2)} of the terms' magnitude`);
    // Each chunk of 256 is a float32 running sum, and the 128 chunks are added into the output one by one.
    expect(worst).toBeLessThan((256 + k / 256) * 2 ** -24);
    product.dispose();
  });
});
