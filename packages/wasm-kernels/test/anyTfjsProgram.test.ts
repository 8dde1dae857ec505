import * as tf from '@tensorflow/tfjs-core';
import { layers, sequential } from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { useBackend, seededRandom } from './support/backends';
import { expectClose } from './support/tensorAssertions';

/**
 * A plain tfjs-layers program, nothing of the workbench: a convolution, pooling, a dense layer with softmax, trained
 * by SGD on a fixed batch. With the package's kernels on wasm it must take the cpu backend's steps.
 */
function build(): ReturnType<typeof sequential> {
  const model = sequential({
    layers: [
      layers.conv2d({ inputShape: [8, 8, 3], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }),
      layers.maxPooling2d({ poolSize: 2 }),
      layers.layerNormalization(),
      layers.flatten(),
      layers.dense({ units: 4, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });
  return model;
}

async function trainOn(backend: 'cpu' | 'wasm'): Promise<{ losses: number[]; weights: Float32Array[] }> {
  await useBackend(backend);
  const random = seededRandom(3);
  const x = tf.tensor4d(
    Float32Array.from({ length: 16 * 8 * 8 * 3 }, () => random() - 0.5),
    [16, 8, 8, 3],
  );
  const y = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: 16 }, (_, i) => i % 4),
      'int32',
    ),
    4,
  );
  const model = build();
  // The same starting weights on both backends.
  const start = model.getWeights().map((w) => {
    const values = Float32Array.from({ length: w.size }, () => (random() - 0.5) * 0.4);
    return tf.tensor(values, w.shape);
  });
  model.setWeights(start);
  tf.dispose(start);
  const losses: number[] = [];
  const tensorsBefore = tf.memory().numTensors;
  for (let step = 0; step < 8; step++) {
    const loss = (await model.trainOnBatch(x, y)) as number;
    losses.push(loss);
    expect(tf.memory().numTensors, `step ${step}`).toBe(tensorsBefore);
  }
  const weights = await Promise.all(model.getWeights().map((w) => w.data() as Promise<Float32Array>));
  model.dispose();
  tf.dispose([x, y]);
  return { losses, weights };
}

// Plain wasm has no Conv2DBackpropFilter: without the package this program cannot train there at all.
describe('any tfjs program, through one registerWasmKernels call', () => {
  it('trains a small CNN on wasm as on the cpu backend: the same losses and weights, falling, nothing left behind', async () => {
    const cpu = await trainOn('cpu');
    const wasm = await trainOn('wasm');
    expect(wasm.losses.at(-1)!).toBeLessThan(wasm.losses[0]! * 0.9);
    expectClose(wasm.losses, cpu.losses, 1e-4);
    wasm.weights.forEach((w, i) => expectClose(w, cpu.weights[i]!, 1e-4));
  });
});
