import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/engine/backend';
import { seededRandom } from '../../../src/engine/data/split/seededRandom';
import { FirstToken } from '../../../src/engine/layers/firstToken';
import { PatchEmbedding } from '../../../src/engine/layers/patchEmbedding';

beforeAll(async () => {
  await selectBackend(process.env['WORKBENCH_BACKEND']);
});

const random = seededRandom(29);
const uniform = (n: number) => Array.from({ length: n }, () => random() * 2 - 1);

/**
 * The ViT's patch embedding in float64 loops, written from the paper rather than as a convolution: patch n (row by
 * row) flattened in (row, column, channel) order, times W [p*p*C, D], plus b; the class token first. With
 * L = sum(z * r): dW, db, dcls and dx by the chain rule, one patch at a time.
 */
function reference(
  x: number[],
  kernel: number[],
  bias: number[],
  token: number[] | null,
  r: number[],
  [B, H, W, C]: number[],
  p: number,
  D: number,
) {
  const [rows, columns] = [H! / p, W! / p];
  const T = rows * columns + (token ? 1 : 0);
  const z = new Array<number>(B! * T * D).fill(0);
  const dKernel = new Array<number>(kernel.length).fill(0);
  const dBias = new Array<number>(D).fill(0);
  const dToken = new Array<number>(D).fill(0);
  const dx = new Array<number>(x.length).fill(0);
  for (let b = 0; b < B!; b++) {
    if (token)
      for (let d = 0; d < D; d++) {
        z[b * T * D + d] = token[d]!;
        dToken[d]! += r[b * T * D + d]!;
      }
    for (let n = 0; n < rows * columns; n++) {
      const position = n + (token ? 1 : 0);
      const [top, left] = [Math.floor(n / columns) * p, (n % columns) * p];
      // vec(patch): index f = (i * p + j) * C + c is the kernel's row.
      const pixel = (f: number) => {
        const [i, j, c] = [Math.floor(f / (p * C!)), Math.floor(f / C!) % p, f % C!];
        return ((b * H! + top + i) * W! + left + j) * C! + c;
      };
      for (let d = 0; d < D; d++) {
        const out = (b * T + position) * D + d;
        let sum = bias[d]!;
        for (let f = 0; f < p * p * C!; f++) {
          sum += x[pixel(f)]! * kernel[f * D + d]!;
          dKernel[f * D + d]! += x[pixel(f)]! * r[out]!;
          dx[pixel(f)]! += kernel[f * D + d]! * r[out]!;
        }
        z[out] = sum;
        dBias[d]! += r[out]!;
      }
    }
  }
  return { z, dKernel, dBias, dToken, dx, shape: [B!, T, D] };
}

describe('PatchEmbedding', () => {
  it.each([
    [2, true, [2, 6, 4, 3]],
    [3, false, [3, 6, 9, 1]],
    [1, true, [1, 2, 3, 2]],
  ] as const)(
    'patches of %i (class token %s) on %j: outputs and every gradient match a float64 loop within 1e-5',
    async (p, classToken, inputShape) => {
      const [B, H, W, C] = inputShape;
      const D = 5;
      const layer = new PatchEmbedding({ patchSize: p, dim: D, classToken });
      const x = tf.tensor4d(uniform(B * H * W * C), [B, H, W, C]);
      layer.apply(x); // builds the weights
      const [kernelVar, biasVar, tokenVar] = layer.trainableWeights;
      expect(kernelVar!.shape).toEqual([p, p, C, D]);
      expect(layer.trainableWeights).toHaveLength(classToken ? 3 : 2);
      // Non-zero bias and token, so that a dropped term would show.
      biasVar!.write(tf.tensor1d(uniform(D)));
      tokenVar?.write(tf.tensor2d(uniform(D), [1, D]));
      const [kernel, bias] = [[...kernelVar!.read().dataSync()], [...biasVar!.read().dataSync()]];
      const token = tokenVar ? [...tokenVar.read().dataSync()] : null;
      const T = (H / p) * (W / p) + (classToken ? 1 : 0);
      const rs = uniform(B * T * D);
      const want = reference([...x.dataSync()], kernel, bias, token, rs, [B, H, W, C], p, D);
      const r = tf.tensor3d(rs, [B, T, D]);

      const before = tf.memory().numTensors;
      const loss = (input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input) as tf.Tensor, r)) as tf.Scalar;
      const z = layer.apply(x) as tf.Tensor;
      const { value, grads } = tf.variableGrads(() => loss(x));
      const dx = tf.grad(loss)(x);
      expect(z.shape).toEqual(want.shape);
      expect(layer.computeOutputShape([B, H, W, C])).toEqual(want.shape);
      const close = (got: ArrayLike<number>, expected: number[]) => {
        expect(got.length).toBe(expected.length);
        for (let i = 0; i < expected.length; i++) expect(Math.abs(got[i]! - expected[i]!)).toBeLessThan(1e-5);
      };
      close(await z.data(), want.z);
      close(await dx.data(), want.dx);
      close(await grads[kernelVar!.originalName]!.data(), want.dKernel);
      close(await grads[biasVar!.originalName]!.data(), want.dBias);
      if (tokenVar) close(await grads[tokenVar.originalName]!.data(), want.dToken);
      tf.dispose([z, dx, value, ...Object.values(grads)]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, r]);
      layer.dispose();
    },
  );

  it('round-trips its config', () => {
    const layer = new PatchEmbedding({ patchSize: 4, dim: 32, classToken: false, name: 'patches' });
    const copy = PatchEmbedding.fromConfig(PatchEmbedding, layer.getConfig()) as PatchEmbedding;
    expect([copy.patchSize, copy.dim, copy.classToken, copy.name]).toEqual([4, 32, false, 'patches']);
  });
});

describe('FirstToken', () => {
  it('reads position 0 of every example and sends the gradient there alone', async () => {
    const x = tf.tensor3d(uniform(2 * 3 * 4), [2, 3, 4]);
    const values = [...x.dataSync()];
    const layer = new FirstToken({});
    const y = layer.apply(x) as tf.Tensor;
    expect(y.shape).toEqual([2, 4]);
    expect([...(await y.data())].map((v) => Math.fround(v))).toEqual([
      ...values.slice(0, 4).map(Math.fround),
      ...values.slice(12, 16).map(Math.fround),
    ]);
    const dx = tf.grad((input: tf.Tensor) => tf.sum(layer.apply(input) as tf.Tensor))(x);
    expect([...(await dx.data())]).toEqual([1, 1, 1, 1, ...Array(8).fill(0), 1, 1, 1, 1, ...Array(8).fill(0)]);
    tf.dispose([x, y, dx]);
  });
});
