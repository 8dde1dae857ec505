import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { selectBackend } from '../../../src/engine/backend';
import { channelPools, spatialPools } from '../../../src/engine/layers/attentionPools';
import { Cbam } from '../../../src/engine/layers/cbam';
import { heapSimd } from '@attention-workbench/wasm-kernels';
import { seededRandom } from '../../../src/engine/data/split/seededRandom';
import { expectClose } from '../../support/tensorAssertions';
import { onCpuAndWasm } from '../../support/cpuAndWasm';

const random = seededRandom(97);
/** Values on a coarse grid, so that maxima tie now and then. */
const values = (n: number) => Array.from({ length: n }, () => Math.round((random() * 2 - 1) * 8) / 4);

describe("CBAM's pools on the wasm heap", () => {
  beforeAll(async () => {
    expect((await selectBackend('wasm')).name).toBe('wasm');
    expect(heapSimd()).not.toBeNull();
  });
  afterEach(() => vi.restoreAllMocks());

  for (const shape of [
    [2, 3, 5, 8],
    [3, 4, 4, 12],
    [1, 2, 3, 6], // channels not in fours: composed of tfjs ops
  ]) {
    it(`[${shape}]: both pools and their gradients (ties shared) are the cpu backend's`, async () => {
      const size = tf.util.sizeFromShape(shape);
      const [x, probeC, probeS] = [values(size), values(size), values(size)];
      const spies = (['channelPools', 'channelPoolsGrad', 'spatialPoolsGrad'] as const).map((name) =>
        vi.spyOn(heapSimd()!, name),
      );
      const { cpu, wasm } = await onCpuAndWasm(() => {
        const input = tf.tensor4d(x, shape as [number, number, number, number]);
        const [b, h, w, c] = shape as [number, number, number, number];
        const probeChannel = tf.tensor(probeC.slice(0, b * h * w * 2), [b, h, w, 2]);
        const probeSpatial = tf.tensor(probeS.slice(0, 2 * b * c), [2 * b, c]);
        const loss = (t: tf.Tensor) =>
          tf.add(
            tf.sum(tf.mul(channelPools(t as tf.Tensor4D), probeChannel)),
            tf.sum(tf.mul(spatialPools(t as tf.Tensor4D), probeSpatial)),
          );
        return [channelPools(input), spatialPools(input), tf.grad(loss)(input)];
      });
      cpu.forEach((expected, i) => expectClose(wasm[i]!, expected, 1e-5));
      const fused = shape.at(-1)! % 4 === 0;
      for (const spy of spies) expect(spy.mock.calls.length > 0).toBe(fused);
    });
  }

  it('a NaN makes its pools NaN and takes no gradient of the maximum', async () => {
    const x = [1, NaN, 3, 2, 0.5, 0.5, 0.5, 0.5];
    const { cpu, wasm } = await onCpuAndWasm(() => {
      const input = tf.tensor4d(x, [1, 1, 2, 4]);
      return [channelPools(input), tf.grad((t: tf.Tensor) => tf.sum(channelPools(t as tf.Tensor4D)))(input)];
    });
    expect([...wasm[0]!.slice(0, 2)].every(Number.isNaN)).toBe(true);
    expectClose(wasm[0]!.slice(2), cpu[0]!.slice(2), 1e-6);
    expect([...wasm[1]!.slice(4)]).toEqual([...cpu[1]!.slice(4)]); // the tied row: each takes the max's gradient
  });

  it('a CBAM layer in training: output, dx and every weight gradient are the cpu backend’s', async () => {
    const shape: [number, number, number, number] = [2, 6, 6, 8];
    const x = values(tf.util.sizeFromShape(shape));
    const probe = values(tf.util.sizeFromShape(shape));
    let weights: number[][] | null = null;
    const { cpu, wasm } = await onCpuAndWasm(() => {
      const layer = new Cbam({ ratio: 4, kernelSize: 3 });
      layer.build(shape);
      weights ??= layer.getWeights().map((w) => values(w.size));
      layer.setWeights(layer.getWeights().map((w, i) => tf.tensor(weights![i]!, w.shape)));
      const variables = layer.trainableWeights.map((w) => w.read() as tf.Variable);
      const input = tf.tensor4d(x, shape);
      const loss = (t: tf.Tensor) =>
        tf.sum(tf.mul((layer.apply(t) as tf.Tensor[])[0]!, tf.tensor(probe, shape))) as tf.Scalar;
      const { grads } = tf.variableGrads(() => loss(input), variables);
      const out = [
        (layer.apply(input) as tf.Tensor[])[0]!,
        tf.grad(loss)(input),
        ...variables.map((v) => grads[v.name]!),
      ];
      tf.dispose(variables);
      return out;
    });
    cpu.forEach((expected, i) => expectClose(wasm[i]!, expected, 1e-4));
  });
});
