import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { selectBackend } from '../../../src/engine/backend';
import { heapSimd } from '../../../src/engine/kernels/simd/heapSimd';
import { seededRandom } from '../../../src/engine/data/split/seededRandom';
import { expectClose } from '../../support/tensorAssertions';

const random = seededRandom(83);

/** Values as attention scores come: spread out, some masked by -1e9, now and then -Infinity or a large value. */
const scores = (n: number) =>
  Array.from({ length: n }, () => {
    const u = random();
    return u < 0.1 ? -1e9 : u < 0.12 ? -Infinity : u < 0.14 ? 60 + random() * 20 : (random() * 2 - 1) * 12;
  });

async function onBoth(compute: () => tf.Tensor): Promise<{ cpu: Float32Array; wasm: Float32Array }> {
  await tf.setBackend('cpu');
  const reference = tf.tidy(compute);
  const cpu = (await reference.data()) as Float32Array;
  reference.dispose();
  await tf.setBackend('wasm');
  const before = tf.memory().numTensors;
  const result = tf.tidy(compute);
  const wasm = (await result.data()) as Float32Array;
  result.dispose();
  expect(tf.memory().numTensors).toBe(before);
  return { cpu, wasm };
}

describe('the gradient of softmax on the wasm heap', () => {
  beforeAll(async () => {
    expect((await selectBackend('wasm')).name).toBe('wasm');
    expect(heapSimd()).not.toBeNull();
  });
  afterEach(() => vi.restoreAllMocks());

  for (const shape of [
    [3, 4, 8],
    [2, 64],
    [5, 12],
    [1, 1, 4],
    [6, 5],
  ]) {
    it(`[${shape}]: the gradient is the cpu backend's, on scores with masks, -Infinity and large values`, async () => {
      const size = tf.util.sizeFromShape(shape);
      const [x, probe] = [scores(size), Array.from({ length: size }, () => random() * 2 - 1)];
      // A row with every entry masked but one.
      x.fill(-1e9, 0, shape.at(-1)! - 1);
      const backward = vi.spyOn(heapSimd()!, 'softmaxGrad');
      const dx = await onBoth(() =>
        tf.grad((logits: tf.Tensor) => tf.sum(tf.mul(tf.softmax(logits), tf.tensor(probe, shape))))(
          tf.tensor(x, shape),
        ),
      );
      expectClose(dx.wasm, dx.cpu, 1e-6);
      const simd = shape.at(-1)! % 4 === 0;
      expect(backward.mock.calls.length).toBe(simd ? 1 : 0);
    });
  }

  it('a row whose gradient meets a NaN is NaN throughout, as on the cpu backend', async () => {
    const [x, probe] = [
      [1, 2, 3, 4, 1, 2, 3, 4],
      [1, NaN, 0, 1, 0.5, -1, 2, 0],
    ];
    const dx = await onBoth(() =>
      tf.grad((logits: tf.Tensor) => tf.sum(tf.mul(tf.softmax(logits), tf.tensor(probe, [2, 4]))))(
        tf.tensor(x, [2, 4]),
      ),
    );
    expect([...dx.wasm.slice(0, 4)].every(Number.isNaN)).toBe(true);
    expect([...dx.cpu.slice(0, 4)].every(Number.isNaN)).toBe(true);
    expectClose(dx.wasm.slice(4), dx.cpu.slice(4), 1e-6);
  });
});
