import * as tf from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { selectBackend } from '../../../src/engine/backend';
import { heapSimd } from '@attention-workbench/wasm-kernels';
import { seededRandom } from '../../../src/engine/data/split/seededRandom';
import { BatchNormalization, batchNormInTraining } from '../../../src/engine/layers/batchNormalization';
import { expectClose } from '../../support/tensorAssertions';
import { onCpuAndWasm } from '../../support/cpuAndWasm';

const random = seededRandom(47);
const values = (n: number, shift = 0) => Array.from({ length: n }, () => random() * 2 - 1 + shift);

/** [y, mean, variance] as tfjs-layers computes them in training: tf.moments, then tf.batchNorm. */
function tfjsInTraining(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): tf.Tensor[] {
  const axes = Array.from({ length: x.rank - 1 }, (_, i) => i);
  const { mean, variance } = tf.moments(x, axes);
  return [tf.batchNorm(x, mean, variance, beta, gamma, epsilon), mean, variance];
}

describe('batch normalisation in training as one kernel (wasm)', () => {
  beforeAll(async () => {
    expect((await selectBackend('wasm')).name).toBe('wasm');
    expect(heapSimd()).not.toBeNull();
  });
  afterEach(() => vi.restoreAllMocks());

  // A mean far from zero against a spread of ~0.6: a one-pass variance (E[x^2] - E[x]^2) would lose it in float32.
  for (const [shape, shift] of [
    [[4, 3, 3, 8], 0],
    [[5, 7, 12], 0],
    [[9, 4], 0],
    [[2, 4, 4, 16], 300],
  ] as [number[], number][]) {
    it(`[${shape}]${shift ? ', mean ' + shift : ''}: y, mean, variance and the gradients to x, gamma and beta through all three are tfjs' on cpu`, async () => {
      const channels = shape.at(-1)!;
      const size = tf.util.sizeFromShape(shape);
      const [x, gamma, beta, wy, wm, wv] = [
        values(size, shift),
        values(channels, 1),
        values(channels),
        values(size),
        values(channels),
        values(channels),
      ];
      const moments = vi.spyOn(heapSimd()!, 'channelMoments');
      const pair = vi.spyOn(heapSimd()!, 'scaleShiftPair');
      const compute = (fused: boolean) => () => {
        const f = fused ? batchNormInTraining : tfjsInTraining;
        // Weighted sums of all three outputs, so that dy, dMean and dVariance all reach x.
        const loss = (xs: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
          const [y, mean, variance] = f(xs, g, b, 1e-3);
          return tf.addN([
            tf.sum(tf.mul(y!, tf.tensor(wy, shape))),
            tf.sum(tf.mul(mean!, tf.tensor1d(wm))),
            tf.sum(tf.mul(variance!, tf.tensor1d(wv))),
          ]);
        };
        const inputs = [tf.tensor(x, shape), tf.tensor1d(gamma), tf.tensor1d(beta)];
        return [...f(inputs[0]!, inputs[1]!, inputs[2]!, 1e-3), ...tf.grads(loss)(inputs)];
      };
      await tf.setBackend('cpu');
      const reference = tf.tidy(compute(false));
      const cpu = await Promise.all(reference.map((t) => t.data()));
      tf.dispose(reference);
      await tf.setBackend('wasm');
      const before = tf.memory().numTensors;
      const result = tf.tidy(compute(true));
      const wasm = await Promise.all(result.map((t) => t.data()));
      tf.dispose(result);
      expect(tf.memory().numTensors).toBe(before);
      expect(moments).toHaveBeenCalled();
      expect(pair).toHaveBeenCalledTimes(1);
      const scale = shift ? 1e-3 * shift : 1e-4;
      cpu.forEach((expected, i) => expectClose(wasm[i]! as Float32Array, expected as Float32Array, scale * 10));
    });
  }

  for (const channels of [8, 6]) {
    it(`the layer in training, ${channels} channels: output, gradients and moving statistics are tfjs-layers' on cpu`, async () => {
      const shape = [4, 3, 3, channels];
      const size = tf.util.sizeFromShape(shape);
      const [x, weights, gamma, beta] = [values(size, 2), values(size), values(channels, 1), values(channels)];
      const moments = vi.spyOn(heapSimd()!, 'channelMoments');
      const run = (make: () => layers.Layer) => () => {
        const layer = make();
        layer.build(shape);
        layer.setWeights([tf.tensor1d(gamma), tf.tensor1d(beta), tf.zeros([channels]), tf.ones([channels])]);
        const input = tf.tensor(x, shape);
        const loss = () =>
          tf.sum(tf.mul(layer.apply(input, { training: true }) as tf.Tensor, tf.tensor(weights, shape))) as tf.Scalar;
        const variables = layer.trainableWeights.map((w) => w.read() as tf.Variable);
        const { value, grads } = tf.variableGrads(loss, variables);
        const out = [
          value,
          ...variables.map((v) => grads[v.name]!),
          ...layer.weights.slice(2).map((w) => w.read().clone()),
        ];
        tf.dispose(layer.weights.map((w) => w.read())); // never applied symbolically, so the layer cannot dispose
        return out;
      };
      await tf.setBackend('cpu');
      const reference = tf.tidy(run(() => layers.batchNormalization({ momentum: 0.9 })));
      const cpu = await Promise.all(reference.map((t) => t.data()));
      tf.dispose(reference);
      const { wasm } = await onCpuAndWasm(run(() => new BatchNormalization({ momentum: 0.9 })));
      expect(moments).toHaveBeenCalledTimes(channels % 4 === 0 ? 1 : 0);
      cpu.forEach((expected, i) => expectClose(wasm[i]!, expected as Float32Array, 1e-3));
    });
  }

  it('saves under tfjs-layers’ class name and config, so a saved model loads without the workbench', () => {
    const ours = new BatchNormalization({ momentum: 0.9, epsilon: 1e-4 });
    const theirs = layers.batchNormalization({ momentum: 0.9, epsilon: 1e-4 });
    expect(ours.getClassName()).toBe('BatchNormalization');
    expect({ ...ours.getConfig(), name: '' }).toEqual({ ...theirs.getConfig(), name: '' });
  });
});
