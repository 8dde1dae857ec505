import * as tf from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { heapSimd } from '@attention-workbench/wasm-kernels';
import { selectBackend } from '../../../src/engine/backend';
import { Dense } from '../../../src/engine/layers/dense';
import { seededRandom } from '../../../src/engine/data/split/seededRandom';
import { expectClose } from '../../support/tensorAssertions';

/** Draws in [-1, 1) from a seed: the same inputs on both backends. */
function draws(n: number, seed: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => random() * 2 - 1);
}

interface Case {
  inputShape: number[];
  units: number;
  activation: 'relu' | 'linear' | 'tanh';
  useBias: boolean;
}

/** The layer's output and the gradients of sum(y * probe) for the input and every weight, on the active backend. */
async function outputAndGrads({ inputShape, units, activation, useBias }: Case): Promise<Float32Array[]> {
  const depth = inputShape.at(-1)!;
  const layer = new Dense({ units, activation, useBias, name: 'dense' });
  layer.build(inputShape);
  const initial = [
    tf.tensor2d(draws(depth * units, 1), [depth, units]),
    ...(useBias ? [tf.tensor1d(draws(units, 2))] : []),
  ];
  layer.setWeights(initial);
  tf.dispose(initial);
  const x = tf.tensor(draws(tf.util.sizeFromShape(inputShape), 3), inputShape);
  const probe = tf.tensor(draws((tf.util.sizeFromShape(inputShape) / depth) * units, 4), [
    ...inputShape.slice(0, -1),
    units,
  ]);
  const weights = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  const y = layer.apply(x) as tf.Tensor;
  const loss = (input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input) as tf.Tensor, probe)) as tf.Scalar;
  const dx = tf.grad(loss)(x);
  const { value, grads } = tf.variableGrads(() => loss(x), weights);
  const results = [y, dx, ...weights.map((w) => grads[w.name]!)];
  value.dispose();
  const values = await Promise.all(results.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose([x, probe, ...results]);
  layer.weights.forEach((w) => w.dispose());
  return values;
}

describe("the dense layer on the kernels package's DENSE", () => {
  beforeAll(async () => {
    expect((await selectBackend('wasm')).name).toBe('wasm');
    expect(heapSimd()).not.toBeNull();
  });
  afterEach(() => vi.restoreAllMocks());

  const cases: Case[] = [
    { inputShape: [32, 48], units: 25, activation: 'relu', useBias: true },
    { inputShape: [6, 64], units: 10, activation: 'linear', useBias: true },
    // A Transformer's feed-forward: [batch, positions, features].
    { inputShape: [2, 5, 12], units: 7, activation: 'relu', useBias: false },
    { inputShape: [4, 9], units: 8, activation: 'tanh', useBias: true },
  ];
  for (const c of cases)
    it(`[${c.inputShape}] -> ${c.units} ${c.activation}${c.useBias ? '' : ' without a bias'}: tfjs' layer's numbers on cpu`, async () => {
      await tf.setBackend('cpu');
      const reference = await outputAndGrads(c);
      await tf.setBackend('wasm');
      const pass = vi.spyOn(heapSimd()!, 'denseBiasAct');
      const grad = vi.spyOn(heapSimd()!, 'denseGrad');
      const before = tf.memory().numTensors;
      const onWasm = await outputAndGrads(c);
      expect(tf.memory().numTensors).toBe(before);
      expect(onWasm).toHaveLength(reference.length);
      onWasm.forEach((values, i) => expectClose(values, reference[i]!, 2e-5));
      // tanh is not fused: tfjs' own layer runs, and the kernel's passes never do.
      const fused = c.activation !== 'tanh';
      expect(pass.mock.calls.length > 0).toBe(fused);
      expect(grad.mock.calls.length > 0).toBe(fused);
    });

  it('trains with the tensor count flat, and keeps tfjs-layers’ class name and config', async () => {
    const layer = new Dense({ units: 16, activation: 'relu', name: 'hidden' });
    const head = new Dense({ units: 3, name: 'head' });
    const x = tf.randomNormal([32, 20]);
    const target = tf.oneHot(
      tf.tensor1d(
        draws(32, 5).map((v) => (v > 0.3 ? 2 : v > -0.3 ? 1 : 0)),
        'int32',
      ),
      3,
    );
    const optimizer = tf.train.adam(0.01);
    const forward = () => head.apply(layer.apply(x)) as tf.Tensor;
    tf.dispose(forward()); // builds both layers
    const weights = [...layer.trainableWeights, ...head.trainableWeights].map((w) => w.read() as tf.Variable);
    const step = () =>
      tf.tidy(() => {
        const loss = optimizer.minimize(
          () => tf.losses.softmaxCrossEntropy(target, forward()) as tf.Scalar,
          true,
          weights,
        )!;
        return loss.dataSync()[0]!;
      });
    const first = step();
    const counted = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 30; i++) last = step();
    expect(tf.memory().numTensors).toBe(counted);
    expect(last).toBeLessThan(first * 0.7);
    const stock = layers.dense({ units: 16, activation: 'relu', name: 'hidden' });
    expect(Dense.className).toBe('Dense');
    expect(layer.getConfig()).toEqual(stock.getConfig());
    expect(tf.serialization.SerializationMap.getMap().classNameMap['Dense']![0]).toBe(Dense);
    tf.dispose([x, target]);
    [...layer.weights, ...head.weights].forEach((w) => w.dispose());
    optimizer.dispose();
  });
});
