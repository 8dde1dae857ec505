import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { withoutHeapSimd } from '../src/heap/heapSimd';
import { expectClose } from './support/tensorAssertions';
import { seededRandom, useBackend } from './support/backends';

const random = seededRandom(5);
const values = (n: number) => Array.from({ length: n }, () => random() * 2 - 1);

interface Case {
  batch: number;
  size: [number, number];
  channels: number;
  kernel: [number, number];
  /** Output channels of a conv2d, or the channel multiplier of a depthwise conv. */
  out: number;
  stride: number;
  pad: 'same' | 'valid';
  depthwise: boolean;
}

/**
 * For L = sum(conv(x, W) * R), float64 loops over every (output pixel, filter tap) pair give
 * dL/dW = sum x_tap * R and dL/dx = sum W * R, with tfjs' padding rule (the odd pixel at the bottom/right); and the
 * convolution itself, y = sum x_tap * W.
 */
function referenceGradients(c: Case, x: number[], w: number[], r: number[]) {
  const [h, wd] = c.size;
  const [kh, kw] = c.kernel;
  const outH = c.pad === 'same' ? Math.ceil(h / c.stride) : Math.floor((h - kh) / c.stride) + 1;
  const outW = c.pad === 'same' ? Math.ceil(wd / c.stride) : Math.floor((wd - kw) / c.stride) + 1;
  const top = c.pad === 'same' ? Math.floor(Math.max(0, (outH - 1) * c.stride + kh - h) / 2) : 0;
  const left = c.pad === 'same' ? Math.floor(Math.max(0, (outW - 1) * c.stride + kw - wd) / 2) : 0;
  const outChannels = c.depthwise ? c.channels * c.out : c.out;
  const dW = new Array<number>(w.length).fill(0);
  const dX = new Array<number>(x.length).fill(0);
  const y0 = new Array<number>(c.batch * outH * outW * outChannels).fill(0);
  for (let b = 0; b < c.batch; b++)
    for (let y = 0; y < outH; y++)
      for (let xo = 0; xo < outW; xo++)
        for (let i = 0; i < kh; i++)
          for (let j = 0; j < kw; j++) {
            const yi = y * c.stride + i - top;
            const xi = xo * c.stride + j - left;
            if (yi < 0 || yi >= h || xi < 0 || xi >= wd) continue;
            for (let ch = 0; ch < c.channels; ch++) {
              const xIndex = ((b * h + yi) * wd + xi) * c.channels + ch;
              const outputs = c.depthwise
                ? Array.from({ length: c.out }, (_, m) => ch * c.out + m)
                : Array.from({ length: c.out }, (_, o) => o);
              outputs.forEach((o, k) => {
                const wIndex = ((i * kw + j) * c.channels + ch) * c.out + (c.depthwise ? k : o);
                const at = ((b * outH + y) * outW + xo) * outChannels + o;
                const rValue = r[at] ?? 0;
                y0[at]! += x[xIndex]! * w[wIndex]!;
                dW[wIndex]! += x[xIndex]! * rValue;
                dX[xIndex]! += w[wIndex]! * rValue;
              });
            }
          }
  return { dW, dX, y: y0, outShape: [c.batch, outH, outW, outChannels] };
}

const CASES: Case[] = [
  { batch: 2, size: [5, 5], channels: 3, kernel: [3, 3], out: 4, stride: 1, pad: 'same', depthwise: false },
  { batch: 3, size: [7, 6], channels: 2, kernel: [3, 2], out: 5, stride: 2, pad: 'same', depthwise: false },
  { batch: 2, size: [8, 8], channels: 4, kernel: [3, 3], out: 3, stride: 2, pad: 'valid', depthwise: false },
  { batch: 1, size: [6, 5], channels: 2, kernel: [1, 1], out: 2, stride: 1, pad: 'valid', depthwise: false },
  // UNFOLD_FROM (16) output channels or more: on wasm the weight gradient is a product over unfolded patches.
  { batch: 2, size: [5, 5], channels: 3, kernel: [3, 3], out: 16, stride: 1, pad: 'same', depthwise: false },
  { batch: 3, size: [7, 6], channels: 2, kernel: [3, 2], out: 17, stride: 2, pad: 'same', depthwise: false },
  { batch: 2, size: [8, 8], channels: 4, kernel: [3, 3], out: 16, stride: 2, pad: 'valid', depthwise: false },
  { batch: 1, size: [1, 9], channels: 5, kernel: [1, 3], out: 16, stride: 1, pad: 'same', depthwise: false },
  // Deeper filters and more channels in and out (the input gradient of a stride-1 convolution is a convolution
  // with the channels swapped).
  { batch: 2, size: [6, 5], channels: 16, kernel: [3, 3], out: 12, stride: 1, pad: 'same', depthwise: false },
  { batch: 1, size: [9, 8], channels: 16, kernel: [3, 3], out: 16, stride: 2, pad: 'valid', depthwise: false },
  { batch: 2, size: [5, 6], channels: 8, kernel: [3, 3], out: 16, stride: 1, pad: 'same', depthwise: false },
  { batch: 2, size: [7, 7], channels: 8, kernel: [4, 4], out: 12, stride: 1, pad: 'same', depthwise: false },
  // 8 channels in and out or more: on wasm all three are products over patches never written out
  // (implicitGemmConv.ts): output channels in blocks of 8, 4 and 1, positions in blocks of 4 with the last one
  // short, several chunks of images for the weight gradient, taps wholly in the padding.
  { batch: 3, size: [12, 12], channels: 8, kernel: [3, 3], out: 13, stride: 1, pad: 'same', depthwise: false },
  { batch: 2, size: [5, 7], channels: 12, kernel: [5, 3], out: 8, stride: 2, pad: 'same', depthwise: false },
  { batch: 1, size: [3, 3], channels: 8, kernel: [5, 5], out: 9, stride: 1, pad: 'same', depthwise: false },
  { batch: 2, size: [9, 7], channels: 10, kernel: [2, 3], out: 20, stride: 1, pad: 'valid', depthwise: false },
  { batch: 5, size: [1, 11], channels: 16, kernel: [1, 3], out: 8, stride: 1, pad: 'same', depthwise: false },
  { batch: 2, size: [4, 4], channels: 8, kernel: [1, 1], out: 12, stride: 2, pad: 'valid', depthwise: false },
  // 3 x 3, stride 1, channels in fours: the forward pass and the input gradient by Winograd's F(2 x 2, 3 x 3)
  // (winogradConv.ts): odd output sizes (a last tile half outside), several chunks of tiles, a map smaller than a tile.
  { batch: 2, size: [7, 9], channels: 12, kernel: [3, 3], out: 16, stride: 1, pad: 'valid', depthwise: false },
  { batch: 2, size: [40, 40], channels: 8, kernel: [3, 3], out: 8, stride: 1, pad: 'same', depthwise: false },
  { batch: 1, size: [2, 2], channels: 8, kernel: [3, 3], out: 8, stride: 1, pad: 'same', depthwise: false },
  { batch: 2, size: [6, 6], channels: 3, kernel: [3, 3], out: 2, stride: 1, pad: 'same', depthwise: true },
  { batch: 2, size: [7, 7], channels: 2, kernel: [3, 3], out: 1, stride: 2, pad: 'valid', depthwise: true },
];

// wasm twice: with the SIMD module on tfjs' heap, and with the TypeScript kernels it replaces.
for (const [backendName, simd] of [
  ['wasm', true],
  ['wasm', false],
  ['cpu', true],
] as ['wasm' | 'cpu', boolean][]) {
  describe(`convolution gradients on ${backendName}${simd ? '' : ' without the SIMD module'}`, () => {
    beforeAll(async () => {
      expect((await useBackend(backendName)).name).toBe(backendName);
    });
    const run = (work: () => Promise<void>) => (simd ? work() : withoutHeapSimd(work));

    for (const c of CASES) {
      const kind = c.depthwise ? 'depthwise conv' : 'conv2d';
      it(`${kind} ${c.kernel.join('x')} stride ${c.stride} ${c.pad}: dW and dx match float64 loops, nothing leaks`, () =>
        run(async () => {
          const x = values(c.batch * c.size[0] * c.size[1] * c.channels);
          const w = values(c.kernel[0] * c.kernel[1] * c.channels * c.out);
          const reference = referenceGradients(c, x, w, []); // shape only
          const r = values(reference.outShape.reduce((a, b) => a * b, 1));
          const expected = referenceGradients(c, x, w, r);

          const xt = tf.tensor4d(x, [c.batch, c.size[0], c.size[1], c.channels]);
          const wt = tf.tensor4d(w, [c.kernel[0], c.kernel[1], c.channels, c.out]);
          const rt = tf.tensor4d(r, expected.outShape as [number, number, number, number]);
          const before = tf.memory().numTensors;
          const loss = (input: tf.Tensor4D, filter: tf.Tensor4D) =>
            tf.sum(
              tf.mul(
                c.depthwise
                  ? tf.depthwiseConv2d(input, filter, c.stride, c.pad)
                  : tf.conv2d(input, filter, c.stride, c.pad),
                rt,
              ),
            );
          const forward = c.depthwise
            ? tf.depthwiseConv2d(xt, wt, c.stride, c.pad)
            : tf.conv2d(xt, wt, c.stride, c.pad);
          expectClose(await forward.data(), expected.y, 1e-4);
          forward.dispose();
          const [dX, dW] = tf.grads(loss as (...args: tf.Tensor[]) => tf.Tensor)([xt, wt]);
          expectClose(await dW!.data(), expected.dW, 1e-4);
          expectClose(await dX!.data(), expected.dX, 1e-4);
          dX!.dispose();
          dW!.dispose();
          expect(tf.memory().numTensors).toBe(before);
          tf.dispose([xt, wt, rt]);
        }));
    }
  });
}
