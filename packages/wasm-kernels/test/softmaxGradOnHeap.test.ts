import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { heapSimd } from '../src/heap/heapSimd';
import { expectClose } from './support/tensorAssertions';
import { onCpuAndWasm } from './support/cpuAndWasm';
import { seededRandom, useBackend } from './support/backends';

const random = seededRandom(83);

/** Values as attention scores come: spread out, some masked by -1e9, now and then -Infinity or a large value. */
const scores = (n: number) =>
  Array.from({ length: n }, () => {
    const u = random();
    return u < 0.1 ? -1e9 : u < 0.12 ? -Infinity : u < 0.14 ? 60 + random() * 20 : (random() * 2 - 1) * 12;
  });

describe('the gradient of softmax on the wasm heap', () => {
  beforeAll(async () => {
    expect((await useBackend('wasm')).name).toBe('wasm');
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
      const dx = await onCpuAndWasm(() => [
        tf.grad((logits: tf.Tensor) => tf.sum(tf.mul(tf.softmax(logits), tf.tensor(probe, shape))))(
          tf.tensor(x, shape),
        ),
      ]);
      expectClose(dx.wasm[0]!, dx.cpu[0]!, 1e-6);
      const simd = shape.at(-1)! % 4 === 0;
      expect(backward.mock.calls.length).toBe(simd ? 1 : 0);
    });
  }

  it('a row whose gradient meets a NaN is NaN throughout, as on the cpu backend', async () => {
    const [x, probe] = [
      [1, 2, 3, 4, 1, 2, 3, 4],
      [1, NaN, 0, 1, 0.5, -1, 2, 0],
    ];
    const {
      cpu: [cpu],
      wasm: [wasm],
    } = await onCpuAndWasm(() => [
      tf.grad((logits: tf.Tensor) => tf.sum(tf.mul(tf.softmax(logits), tf.tensor(probe, [2, 4]))))(
        tf.tensor(x, [2, 4]),
      ),
    ]);
    expect([...wasm!.slice(0, 4)].every(Number.isNaN)).toBe(true);
    expect([...cpu!.slice(0, 4)].every(Number.isNaN)).toBe(true);
    expectClose(wasm!.slice(4), cpu!.slice(4), 1e-6);
  });
});
