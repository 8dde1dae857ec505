import * as tf from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/engine/backend';
import { seededRandom } from '../../../src/engine/data/split/seededRandom';
import { rationalSigmoid, rationalTanh } from '@attention-workbench/wasm-kernels';
import { FusedRecurrent } from '../../../src/engine/layers/fusedRecurrent';
import { expectClose } from '../../support/tensorAssertions';

const random = seededRandom(21);
const values = (n: number) => Array.from({ length: n }, () => random() * 2 - 1);

interface Case {
  cell: 'lstm' | 'gru';
  bidirectional: boolean;
  merge: 'concat' | 'sum';
  returnSequences: boolean;
  gateActivation: 'sigmoid' | 'hardSigmoid';
  /** 5 unless given; LSTMs of units in fours take the heap SIMD module's step on wasm. */
  units?: number;
}

const CASES: Case[] = [
  { cell: 'lstm', bidirectional: false, merge: 'concat', returnSequences: true, gateActivation: 'sigmoid' },
  { cell: 'lstm', bidirectional: true, merge: 'concat', returnSequences: true, gateActivation: 'sigmoid' },
  { cell: 'lstm', bidirectional: true, merge: 'sum', returnSequences: false, gateActivation: 'hardSigmoid' },
  { cell: 'lstm', bidirectional: false, merge: 'concat', returnSequences: false, gateActivation: 'sigmoid' },
  { cell: 'gru', bidirectional: false, merge: 'concat', returnSequences: true, gateActivation: 'hardSigmoid' },
  { cell: 'gru', bidirectional: true, merge: 'concat', returnSequences: false, gateActivation: 'sigmoid' },
  { cell: 'gru', bidirectional: true, merge: 'sum', returnSequences: true, gateActivation: 'sigmoid' },
  { cell: 'lstm', bidirectional: true, merge: 'concat', returnSequences: true, gateActivation: 'sigmoid', units: 8 },
  {
    cell: 'lstm',
    bidirectional: false,
    merge: 'concat',
    returnSequences: false,
    gateActivation: 'hardSigmoid',
    units: 4,
  },
];

/** tfjs-layers' own layer for a case: the reference whose autodiff the written-out backward pass must match. */
function referenceLayer(c: Case): layers.Layer {
  const args = { units: c.units ?? 5, returnSequences: c.returnSequences, recurrentActivation: c.gateActivation };
  const cell = () => (c.cell === 'lstm' ? layers.lstm(args) : layers.gru(args));
  return c.bidirectional ? layers.bidirectional({ layer: cell() as never, mergeMode: c.merge }) : cell();
}

/** Output, input gradient and weight gradients of sum(y * probe), y = layer(x). */
function outputAndGradients(layer: layers.Layer, x: tf.Tensor3D, probe: number[]) {
  return tf.tidy(() => {
    const loss = (input: tf.Tensor) =>
      tf.sum(
        tf.mul(layer.apply(input) as tf.Tensor, tf.tensor(probe, layer.computeOutputShape(input.shape) as number[])),
      );
    const y = layer.apply(x) as tf.Tensor;
    const dx = tf.grad(loss)(x);
    const weights = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const { grads } = tf.variableGrads(() => loss(x) as tf.Scalar, weights);
    return [y, dx, ...weights.map((w) => grads[w.name]!)].map((t) => [...t.dataSync()]);
  });
}

describe.each(['cpu', 'wasm'])('the fused recurrent layer on %s', (backend) => {
  it.each(CASES)('matches tfjs-layers forward and backward: %o', async (c) => {
    expect((await selectBackend(backend)).name).toBe(backend);
    const [batch, length, dim] = [3, 6, 4];
    const x = tf.tensor3d(values(batch * length * dim), [batch, length, dim]);
    const fused = new FusedRecurrent({ ...c, units: c.units ?? 5 });
    const reference = referenceLayer(c);
    fused.apply(x);
    reference.apply(x);
    // Weights of visible size, so that gates open and close (the hard sigmoid's clipping is exercised too).
    const weights = reference.getWeights().map((w) =>
      tf.tensor(
        values(w.size).map((v) => 1.5 * v),
        w.shape,
      ),
    );
    reference.setWeights(weights);
    fused.setWeights(weights);
    const probe = values((fused.computeOutputShape(x.shape) as number[]).reduce((a, b) => a * b, 1));
    const got = outputAndGradients(fused, x, probe);
    const expected = outputAndGradients(reference, x, probe);
    expect(got.length).toBe(expected.length);
    got.forEach((g, i) => expectClose(g, expected[i]!, 1e-4));
  });

  it('keeps the tensor count flat over training steps', async () => {
    expect((await selectBackend(backend)).name).toBe(backend);
    const layer = new FusedRecurrent({ cell: 'lstm', units: 4, returnSequences: true, bidirectional: true });
    const x = tf.tensor3d(values(2 * 5 * 3), [2, 5, 3]);
    layer.apply(x);
    const weights = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const optimizer = tf.train.adam(0.01);
    const step = () => optimizer.minimize(() => tf.sum(tf.square(layer.apply(x) as tf.Tensor)), false, weights);
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('the rational tanh of the wasm step kernels', () => {
  it('is within 3e-7 of Math.tanh, and its sigmoid within 2e-7 of 1 / (1 + e^-x)', () => {
    let [tanhError, sigmoidError] = [0, 0];
    for (let x = -20; x <= 20; x += 1 / 1024) {
      tanhError = Math.max(tanhError, Math.abs(rationalTanh(x) - Math.tanh(x)));
      sigmoidError = Math.max(sigmoidError, Math.abs(rationalSigmoid(x) - 1 / (1 + Math.exp(-x))));
    }
    expect(tanhError).toBeLessThan(3e-7);
    expect(sigmoidError).toBeLessThan(2e-7);
  });
});
