import * as tf from '@tensorflow/tfjs-core';
import { input, model, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/engine/backend';
import { seededRandom } from '../../../src/engine/data/split/seededRandom';
import { Cbam } from '../../../src/engine/layers/cbam';
import { SpatialAttention } from '../../../src/engine/layers/spatialAttention';
import { SqueezeExcitation } from '../../../src/engine/layers/squeezeExcitation';
import { expectClose } from '../../support/tensorAssertions';

const random = seededRandom(21);
const values = (n: number) => Array.from({ length: n }, () => random() * 2 - 1);
const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
const relu = (v: number) => Math.max(0, v);
const [B, H, W, C] = [2, 5, 4, 8];
const at = (b: number, h: number, w: number, c: number) => ((b * H + h) * W + w) * C + c;

/** z [C] through W1 [C, U], b1, relu, W2 [U, C], b2, in float64. */
function mlp(z: number[], w1: number[], b1: number[], w2: number[], b2: number[]): number[] {
  const units = b1.length;
  const hidden = b1.map((bias, u) => relu(z.reduce((sum, v, c) => sum + v * w1[c * units + u]!, bias)));
  return b2.map((bias, c) => hidden.reduce((sum, v, u) => sum + v * w2[u * C + c]!, bias));
}

/** The spatial map sigmoid(conv_same([mean_c; max_c](x)) + b) [B, H, W] of a float64 image batch. */
function spatialReference(x: number[], kernel: number[], bias: number, k: number): number[] {
  const pooled = (b: number, h: number, w: number, which: number) => {
    const channel = Array.from({ length: C }, (_, c) => x[at(b, h, w, c)]!);
    return which === 0 ? channel.reduce((a, v) => a + v, 0) / C : Math.max(...channel);
  };
  const offset = Math.floor((k - 1) / 2); // tfjs 'same': the odd padding pixel goes to the bottom/right
  const out: number[] = [];
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++)
      for (let w = 0; w < W; w++) {
        let sum = bias;
        for (let i = 0; i < k; i++)
          for (let j = 0; j < k; j++) {
            const [y, z] = [h + i - offset, w + j - offset];
            if (y < 0 || y >= H || z < 0 || z >= W) continue;
            for (let p = 0; p < 2; p++) sum += pooled(b, y, z, p) * kernel[(i * k + j) * 2 + p]!;
          }
        out.push(sigmoid(sum));
      }
  return out;
}

async function weightsOf(layer: { getWeights(): tf.Tensor[] }): Promise<number[][]> {
  return Promise.all(layer.getWeights().map(async (w) => [...(await w.data())]));
}

/** Gives a layer random (non-zero) biases, so that a wrong bias shows in the comparison. */
function randomizeWeights(layer: { getWeights(): tf.Tensor[]; setWeights(w: tf.Tensor[]): void }) {
  layer.setWeights(layer.getWeights().map((w) => tf.tensor(values(w.size), w.shape)));
}

describe('convolutional attention layers', () => {
  beforeAll(async () => {
    await selectBackend(process.env['WORKBENCH_BACKEND']);
  });
  const x = values(B * H * W * C);

  it('squeeze-and-excitation rescales each channel by sigmoid(MLP(mean))', async () => {
    const layer = new SqueezeExcitation({ ratio: 4 });
    const [y, map] = layer.apply(tf.tensor4d(x, [B, H, W, C])) as tf.Tensor[];
    randomizeWeights(layer);
    const [out, scale] = layer.apply(tf.tensor4d(x, [B, H, W, C])) as tf.Tensor[];
    const [w1, b1, w2, b2] = await weightsOf(layer);
    expect(w1!.length).toBe(C * 2);
    const expectedScale: number[] = [];
    for (let b = 0; b < B; b++) {
      const mean = Array.from({ length: C }, (_, c) => {
        let sum = 0;
        for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) sum += x[at(b, h, w, c)]!;
        return sum / (H * W);
      });
      expectedScale.push(...mlp(mean, w1!, b1!, w2!, b2!).map(sigmoid));
    }
    expect(scale!.shape).toEqual([B, 1, 1, C]);
    expectClose(await scale!.data(), expectedScale, 1e-5);
    expectClose(
      await out!.data(),
      x.map((v, i) => v * expectedScale[Math.floor(i / (H * W * C)) * C + (i % C)]!),
      1e-5,
    );
    tf.dispose([y!, map!, out!, scale!]);
  });

  it('spatial attention weighs every pixel by sigmoid(conv([mean_c; max_c]))', async () => {
    const layer = new SpatialAttention({ kernelSize: 3 });
    tf.dispose(layer.apply(tf.tensor4d(x, [B, H, W, C])) as tf.Tensor[]);
    randomizeWeights(layer);
    const [out, map] = layer.apply(tf.tensor4d(x, [B, H, W, C])) as tf.Tensor[];
    const [kernel, bias] = await weightsOf(layer);
    const expected = spatialReference(x, kernel!, bias![0]!, 3);
    expect(map!.shape).toEqual([B, 1, H, W]);
    expectClose(await map!.data(), expected, 1e-5);
    expectClose(
      await out!.data(),
      x.map((v, i) => v * expected[Math.floor(i / C)]!),
      1e-5,
    );
    tf.dispose([out!, map!]);
  });

  it('CBAM applies channel attention (mean and max through one MLP), then spatial attention', async () => {
    const layer = new Cbam({ ratio: 2, kernelSize: 3 });
    tf.dispose(layer.apply(tf.tensor4d(x, [B, H, W, C])) as tf.Tensor[]);
    randomizeWeights(layer);
    const [out, channelMap, spatialMap] = layer.apply(tf.tensor4d(x, [B, H, W, C])) as tf.Tensor[];
    const [w1, b1, w2, b2, kernel, bias] = await weightsOf(layer);
    const channelScale: number[] = [];
    for (let b = 0; b < B; b++) {
      const pool = (reduce: (xs: number[]) => number) =>
        Array.from({ length: C }, (_, c) => {
          const xs: number[] = [];
          for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) xs.push(x[at(b, h, w, c)]!);
          return reduce(xs);
        });
      const fromMean = mlp(
        pool((xs) => xs.reduce((a, v) => a + v, 0) / xs.length),
        w1!,
        b1!,
        w2!,
        b2!,
      );
      const fromMax = mlp(
        pool((xs) => Math.max(...xs)),
        w1!,
        b1!,
        w2!,
        b2!,
      );
      channelScale.push(...fromMean.map((v, c) => sigmoid(v + fromMax[c]!)));
    }
    const refined = x.map((v, i) => v * channelScale[Math.floor(i / (H * W * C)) * C + (i % C)]!);
    const spatial = spatialReference(refined, kernel!, bias![0]!, 3);
    expectClose(await channelMap!.data(), channelScale, 1e-5);
    expectClose(await spatialMap!.data(), spatial, 1e-5);
    expectClose(
      await out!.data(),
      refined.map((v, i) => v * spatial[Math.floor(i / C)]!),
      1e-5,
    );
    tf.dispose([out!, channelMap!, spatialMap!]);
  });

  it('trains: gradients reach every weight and the tensor count stays flat', async () => {
    const image = input({ shape: [H, W, C] });
    const [refined] = new Cbam({ ratio: 2, kernelSize: 3 }).apply(image) as SymbolicTensor[];
    const net = model({ inputs: image, outputs: refined! });
    const batch = tf.tensor4d(x, [B, H, W, C]);
    const before = tf.memory().numTensors;
    const { grads, value } = tf.variableGrads(() => tf.sum(tf.square(net.apply(batch) as tf.Tensor)) as tf.Scalar);
    expect(Object.keys(grads)).toHaveLength(6);
    const sizes = tf.tidy(() => Object.values(grads).map((grad) => tf.sum(tf.abs(grad))));
    for (const size of sizes) expect((await size.data())[0]).toBeGreaterThan(0);
    tf.dispose(sizes);
    tf.dispose([value, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);
    net.dispose();
    batch.dispose();
  });
});
