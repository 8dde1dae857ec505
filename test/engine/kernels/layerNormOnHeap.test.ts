import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { selectBackend } from '../../../src/engine/backend';
import { LayerNormalization } from '../../../src/engine/layers/layerNormalization';
import { heapSimd } from '@attention-workbench/wasm-kernels';
import { seededRandom } from '../../../src/engine/data/split/seededRandom';
import { expectClose } from '../../support/tensorAssertions';

const random = seededRandom(59);
const values = (n: number) => Array.from({ length: n }, () => random() * 4 - 2);

describe('layer normalisation on the wasm heap', () => {
  beforeAll(async () => {
    expect((await selectBackend('wasm')).name).toBe('wasm');
    expect(heapSimd()).not.toBeNull();
  });
  afterEach(() => vi.restoreAllMocks());

  for (const shape of [
    [2, 3, 8],
    [5, 16],
    [1, 1, 4],
    [3, 6],
  ]) {
    it(`[${shape}]: y, dx, dgamma and dbeta are the cpu backend's composed layer's, nothing leaks`, async () => {
      const d = shape.at(-1)!;
      const size = tf.util.sizeFromShape(shape);
      // Rows offset far from 0, so that the variance is taken around the row's mean.
      const [x, gamma, beta, weights] = [values(size).map((v) => v + 10), values(d), values(d), values(size)];
      const run = () => {
        const layer = new LayerNormalization({ epsilon: 1e-3 });
        layer.build(shape);
        layer.setWeights([tf.tensor1d(gamma), tf.tensor1d(beta)]);
        const variables = layer.trainableWeights.map((w) => w.read() as tf.Variable);
        const input = tf.tensor(x, shape);
        const loss = (xs: tf.Tensor) =>
          tf.sum(tf.mul(layer.apply(xs) as tf.Tensor, tf.tensor(weights, shape))) as tf.Scalar;
        const { grads } = tf.variableGrads(() => loss(input), variables);
        const out = [layer.apply(input) as tf.Tensor, tf.grad(loss)(input), ...variables.map((v) => grads[v.name]!)];
        tf.dispose(variables);
        return out;
      };
      await tf.setBackend('cpu');
      const reference = tf.tidy(run);
      const cpu = await Promise.all(reference.map((t) => t.data()));
      tf.dispose(reference);
      await tf.setBackend('wasm');
      const forward = vi.spyOn(heapSimd()!, 'layerNorm');
      const backward = vi.spyOn(heapSimd()!, 'layerNormGrad');
      const before = tf.memory().numTensors;
      const result = tf.tidy(run);
      const wasm = await Promise.all(result.map((t) => t.data()));
      tf.dispose(result);
      expect(tf.memory().numTensors).toBe(before);
      cpu.forEach((expected, i) => expectClose(wasm[i]!, expected, 1e-3));
      // Three forward passes (two under a tape, one plain) and two backward, where D is a multiple of 4.
      expect(forward.mock.calls.length).toBe(d % 4 === 0 ? 3 : 0);
      expect(backward.mock.calls.length).toBe(d % 4 === 0 ? 2 : 0);
    });
  }
});
