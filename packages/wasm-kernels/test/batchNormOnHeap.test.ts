import * as tf from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { heapSimd } from '../src/heap/heapSimd';
import { expectClose } from './support/tensorAssertions';
import { onCpuAndWasm } from './support/cpuAndWasm';
import { seededRandom, useBackend } from './support/backends';

const random = seededRandom(31);
const values = (n: number) => Array.from({ length: n }, () => random() * 2 - 1);

describe('batch normalisation on the wasm heap', () => {
  beforeAll(async () => {
    expect((await useBackend('wasm')).name).toBe('wasm');
    expect(heapSimd()).not.toBeNull();
  });
  afterEach(() => vi.restoreAllMocks());

  // tfjs cannot differentiate a batch norm without both scale and offset on any backend (its gradient reads the
  // missing input).
  it('without scale or offset: the output is the cpu backend’s', async () => {
    const [x, mean, variance] = [values(3 * 2 * 16), values(16), values(16).map((v) => v + 1.5)];
    const { cpu, wasm } = await onCpuAndWasm(() => [
      tf.batchNorm(tf.tensor(x, [3, 2, 16]), tf.tensor1d(mean), tf.tensor1d(variance), undefined, undefined, 1e-3),
    ]);
    expectClose(wasm[0]!, cpu[0]!, 1e-5);
  });

  for (const [shape, withScale, withOffset] of [
    [[2, 3, 3, 8], true, true],
    [[4, 5, 12], true, true],
    [[7, 4], true, true],
    [[3, 2, 2, 16], true, true],
  ] as [number[], boolean, boolean][]) {
    it(`[${shape}]${withScale ? ' scale' : ''}${withOffset ? ' offset' : ''}: output and all five gradients are the cpu backend's`, async () => {
      const channels = shape.at(-1)!;
      const [x, mean, variance, offset, scale, weights] = [
        values(tf.util.sizeFromShape(shape)),
        values(channels),
        values(channels).map((v) => v + 1.5),
        values(channels),
        values(channels),
        values(tf.util.sizeFromShape(shape)),
      ];
      const kernels = vi.spyOn(heapSimd()!, 'scaleShift');
      const sums = vi.spyOn(heapSimd()!, 'channelSums');
      const { cpu, wasm } = await onCpuAndWasm(() => {
        const inputs = [tf.tensor(x, shape), tf.tensor1d(mean), tf.tensor1d(variance)];
        if (withOffset) inputs.push(tf.tensor1d(offset));
        if (withScale) inputs.push(tf.tensor1d(scale));
        const f = (xs: tf.Tensor, m: tf.Tensor, v: tf.Tensor, ...rest: tf.Tensor[]) =>
          tf.batchNorm(xs, m, v, withOffset ? rest[0] : undefined, withScale ? rest.at(-1) : undefined, 1e-3);
        // A weighted sum, so that dy differs at every element.
        const loss = (...args: tf.Tensor[]) =>
          tf.sum(tf.mul(f(args[0]!, args[1]!, args[2]!, ...args.slice(3)), tf.tensor(weights, shape)));
        return [f(inputs[0]!, inputs[1]!, inputs[2]!, ...inputs.slice(3)), ...tf.grads(loss)(inputs)];
      });
      // Forward, dx (scale-shift passes) and one pass of sums on wasm.
      expect(kernels).toHaveBeenCalledTimes(3);
      expect(sums).toHaveBeenCalledTimes(1);
      cpu.forEach((reference, i) => expectClose(wasm[i]!, reference, 1e-4 * Math.max(1, Math.sqrt(shape.length * 8))));
    });
  }

  it('a batch-norm layer in training: its output and gradients to x, gamma and beta are the cpu backend’s', async () => {
    const shape = [4, 3, 3, 8];
    const size = tf.util.sizeFromShape(shape);
    const [x, weights, gamma, beta] = [values(size), values(size), values(8).map((v) => v + 1), values(8)];
    const { cpu, wasm } = await onCpuAndWasm(() => {
      const layer = layers.batchNormalization({});
      layer.build(shape);
      layer.setWeights([tf.tensor1d(gamma), tf.tensor1d(beta), tf.zeros([8]), tf.ones([8])]);
      const input = tf.tensor(x, shape);
      const loss = (xs: tf.Tensor) =>
        tf.sum(tf.mul(layer.apply(xs, { training: true }) as tf.Tensor, tf.tensor(weights, shape))) as tf.Scalar;
      const variables = layer.trainableWeights.map((w) => w.read() as tf.Variable);
      const { value, grads } = tf.variableGrads(() => loss(input), variables);
      const dx = tf.grad(loss)(input);
      const out = [value, dx, ...variables.map((v) => grads[v.name]!)];
      tf.dispose(layer.weights.map((w) => w.read())); // never applied symbolically, so the layer cannot dispose
      return out;
    });
    cpu.forEach((reference, i) => expectClose(wasm[i]!, reference, 1e-3));
  });
});
