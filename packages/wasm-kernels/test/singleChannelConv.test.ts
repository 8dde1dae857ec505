import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { heapSimd } from '../src/heap/heapSimd';
import { expectClose } from './support/tensorAssertions';
import { seededRandom, useBackend } from './support/backends';

const random = seededRandom(47);
const values = (n: number) => Array.from({ length: n }, () => random() * 2 - 1);

// One output channel, stride 1: CBAM's spatial gate. [x shape, kernel side(s), padding]
const CASES: [number[], [number, number], 'same' | 'valid' | number][] = [
  [[2, 8, 8, 2], [7, 7], 'same'],
  [[3, 5, 10, 3], [3, 3], 'valid'],
  [[2, 6, 12, 1], [4, 2], 'same'],
  [[1, 4, 6, 2], [3, 3], 1],
  [[2, 5, 7, 2], [3, 3], 'same'], // width 7: the registered kernels
];

describe('convolutions with one output channel on the wasm heap', () => {
  beforeAll(async () => {
    expect((await useBackend('wasm')).name).toBe('wasm');
    expect(heapSimd()).not.toBeNull();
  });
  afterEach(() => vi.restoreAllMocks());

  for (const [shape, [kh, kw], pad] of CASES) {
    it(`[${shape}] ${kh}x${kw} ${pad}: y, dW and dx are the cpu backend's, nothing leaks`, async () => {
      const channels = shape[3]!;
      const info = tf.backend_util.computeConv2DInfo(shape as never, [kh, kw, channels, 1], 1, 1, pad);
      const [x, w, dy] = [
        values(tf.util.sizeFromShape(shape)),
        values(kh * kw * channels),
        values(info.batchSize * info.outHeight * info.outWidth),
      ];
      const run = () => {
        const [input, filter] = [tf.tensor4d(x, shape as never), tf.tensor4d(w, [kh, kw, channels, 1])];
        const conv = (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, pad);
        // A weighted sum, so that dy differs at every position.
        const weighted = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv(a, b), tf.tensor(dy, conv(a, b).shape)));
        return [conv(input, filter), ...tf.grads(weighted)([input, filter])];
      };
      await tf.setBackend('cpu');
      const cpuTensors = tf.tidy(run);
      const cpu = await Promise.all(cpuTensors.map((t) => t.data()));
      tf.dispose(cpuTensors);
      await tf.setBackend('wasm');
      const planeConv = vi.spyOn(heapSimd()!, 'planeConv');
      const planeConvFilterGrad = vi.spyOn(heapSimd()!, 'planeConvFilterGrad');
      const before = tf.memory().numTensors;
      const wasmTensors = tf.tidy(run);
      const wasm = await Promise.all(wasmTensors.map((t) => t.data()));
      tf.dispose(wasmTensors);
      expect(tf.memory().numTensors).toBe(before);
      cpu.forEach((reference, i) => expectClose(wasm[i]!, reference, 1e-4));
      // Where the output width is a multiple of 4: every forward pass (3 here), the weight gradient, and dx (one call
      // per channel) where the input width is one too.
      const direct = info.outWidth % 4 === 0;
      const dxDirect = direct && shape[2]! % 4 === 0;
      expect(planeConv.mock.calls.length).toBe((direct ? 3 : 0) + (dxDirect ? channels : 0));
      expect(planeConvFilterGrad.mock.calls.length).toBe(direct ? 1 : 0);
    });
  }
});
