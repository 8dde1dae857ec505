import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { LayerNormalization } from '../../../src/engine/layers/layerNormalization';
import { PositionalEncoding, sinusoidalTable } from '../../../src/engine/layers/positionalEncoding';
import { MaskedAveragePooling1D } from '../../../src/engine/layers/maskedAveragePooling1d';
import { expectClose } from '../../support/tensorAssertions';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('LayerNormalization', () => {
  it('normalises each position over its features, then scales and shifts', async () => {
    const rows = [
      [1, 2, 3, 4],
      [-2, 0, 0, 10],
    ];
    const layer = new LayerNormalization({ epsilon: 1e-6 });
    layer.build([2, 4]);
    layer.setWeights([tf.tensor1d([1, 2, 1, 0.5]), tf.tensor1d([0, 0, 1, 0])]);
    const output = layer.apply(tf.tensor2d(rows)) as tf.Tensor;
    const expected = rows.flatMap((row) => {
      const mean = row.reduce((a, b) => a + b) / row.length;
      const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / row.length;
      return row.map((v, i) => ((v - mean) / Math.sqrt(variance + 1e-6)) * [1, 2, 1, 0.5][i]! + [0, 0, 1, 0][i]!);
    });
    expectClose(await output.data(), expected, 1e-5);
  });

  it('gets its gradient without a per-element loop (few kernels per backward pass)', () => {
    const layer = new LayerNormalization();
    const x = tf.randomNormal([8, 16, 32]);
    layer.build(x.shape);
    const gamma = layer.trainableWeights[0]!.read() as tf.Variable;
    let kernels = 0;
    const profile = tf.profile(() => tf.variableGrads(() => tf.sum(layer.apply(x) as tf.Tensor), [gamma]));
    return profile.then((info) => {
      kernels = info.kernels.length;
      // tfjs-layers' LayerNormalization needed thousands (a slice and an add per tile repetition).
      expect(kernels).toBeLessThan(80);
    });
  });
});

describe('PositionalEncoding', () => {
  it('sinusoidal: adds sin/cos of position over 10000^(2i/D)', async () => {
    const table = await sinusoidalTable(3, 4).array();
    for (let t = 0; t < 3; t++) {
      expectClose(table[t]!, [Math.sin(t), Math.cos(t), Math.sin(t / 100), Math.cos(t / 100)], 1e-6);
    }
    const layer = new PositionalEncoding({ kind: 'sinusoidal' });
    const x = tf.fill([2, 3, 4], 0.5);
    const output = layer.apply(x) as tf.Tensor;
    // sqrt(D) * x + P, with sqrt(4) * 0.5 = 1
    expectClose(
      ((await output.array()) as number[][][])[1]!.flat(),
      table.flat().map((p) => p + 1),
      1e-6,
    );
    const unscaled = new PositionalEncoding({ kind: 'sinusoidal', scaleEmbeddings: false }).apply(x) as tf.Tensor;
    expectClose(
      ((await unscaled.array()) as number[][][])[0]!.flat(),
      table.flat().map((p) => p + 0.5),
      1e-6,
    );
    layer.dispose();
  });
});

describe('MaskedAveragePooling1D', () => {
  it('averages the real positions only', async () => {
    const x = tf.tensor3d([
      [
        [1, 2],
        [3, 4],
        [100, 100],
      ],
    ]);
    const output = new MaskedAveragePooling1D({}).apply([x, tf.tensor2d([[1, 1, 0]])]) as tf.Tensor;
    expectClose(await output.data(), [2, 3]);
  });
});
