import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/engine/backend';
import { seededRandom } from '../../src/engine/data/split/seededRandom';
import { FusedRecurrent } from '../../src/engine/layers/fusedRecurrent';
import { expectClose } from '../support/tensorAssertions';

const random = seededRandom(31);
const values = (n: number) => Array.from({ length: n }, () => random() * 2 - 1);

/** A bidirectional LSTM's output and weight gradients, and a softmax classifier's loss after 5 Adam steps. */
async function compute(weights: tf.Tensor[], x: tf.Tensor3D, probe: tf.Tensor) {
  const layer = new FusedRecurrent({ cell: 'lstm', units: 6, returnSequences: true, bidirectional: true });
  layer.apply(x);
  layer.setWeights(weights);
  const variables = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  const loss = () => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, probe)) as tf.Scalar;
  const { grads } = tf.variableGrads(loss, variables);
  const optimizer = tf.train.adam(0.05);
  for (let step = 0; step < 5; step++) optimizer.minimize(loss, false, variables);
  const results = [layer.apply(x) as tf.Tensor, ...variables.map((v) => grads[v.name]!), loss()];
  // Read asynchronously: WebGPU's synchronous read needs an OffscreenCanvas, which Node has not.
  const read = await Promise.all(results.map(async (t) => [...(await t.data())]));
  tf.dispose([...results, ...Object.values(grads)]);
  layer.dispose();
  optimizer.dispose();
  return read;
}

describe('the WebGPU backend (Dawn through the webgpu package)', () => {
  it('computes what the cpu backend computes, training included, where an adapter exists', async (context) => {
    const report = await selectBackend('webgpu');
    if (report.name !== 'webgpu') {
      console.log(`WebGPU test skipped: ${report.skipped[0]?.reason ?? 'not loaded'}`);
      context.skip();
    }
    const x = tf.tensor3d(values(2 * 7 * 5), [2, 7, 5]);
    const probe = tf.tensor3d(values(2 * 7 * 12), [2, 7, 12]);
    const shapes = [[5, 24], [6, 24], [24], [5, 24], [6, 24], [24]];
    const weights = shapes.map((shape) => tf.tensor(values(shape.reduce((a, b) => a * b, 1)), shape));
    const onGpu = await compute(weights, x, probe);
    const [weightValues, xValues, probeValues] = [
      await Promise.all(weights.map((w) => w.data())),
      await x.data(),
      await probe.data(),
    ];
    await selectBackend('cpu');
    const onCpu = await compute(
      weights.map((w, i) => tf.tensor(weightValues[i]!, w.shape)),
      tf.tensor3d(xValues, x.shape),
      tf.tensor3d(probeValues, probe.shape),
    );
    onGpu.forEach((got, i) => expectClose(got, onCpu[i]!, 1e-3));
    expect(Number.isFinite(onGpu.at(-1)![0]!)).toBe(true);
  });

  it('a padding mask cast from bool to float32 sums over time (tfjs relabelled the buffer; Dawn refused it)', async (context) => {
    const report = await selectBackend('webgpu');
    if (report.name !== 'webgpu') {
      console.log(`WebGPU test skipped: ${report.skipped[0]?.reason ?? 'not loaded'}`);
      context.skip();
    }
    // Long enough that tfjs keeps the work on the GPU (small tensors it hands to the CPU).
    const lengths = [300, 120, 7, 1];
    const ids = tf.tensor3d(
      lengths.flatMap((length) => Array.from({ length: 512 }, (_, t) => (t < length ? 1 + (t % 5) : 0))),
      [4, 512, 1],
      'int32',
    );
    const mask = tf.cast(tf.notEqual(ids, 0), 'float32'); // [B, T, 1], as the Transformer's padding mask
    const counts = tf.sum(mask, 1); // a reduction over a middle axis: tfjs transposes first
    expect([...(await counts.data())]).toEqual(lengths);
    expect(counts.dtype).toBe('float32');
    tf.dispose([ids, mask, counts]);
  });
});
