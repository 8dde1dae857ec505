import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { heapSimd } from '../src/heap/heapSimd';
import { seededRandom, useBackend } from './support/backends';

/**
 * The reference the SIMD unfolding is checked against (it once ran where the module did not load; the kernel now
 * leaves that case to the dilated convolution): patches[(b, y, x), (i, j, c)] = x[b, y*sh + i - top, x*sw + j - left, c],
 * 0 in the padding.
 */
function unfoldReference(
  source: Float32Array,
  [batch, height, width, channels]: number[],
  [outHeight, outWidth]: number[],
  [filterHeight, filterWidth]: number[],
  [strideHeight, strideWidth]: number[],
  [top, left]: number[],
): Float32Array {
  const target = new Float32Array(batch! * outHeight! * outWidth! * filterHeight! * filterWidth! * channels!);
  let at = 0;
  for (let b = 0; b < batch!; b++)
    for (let y = 0; y < outHeight!; y++)
      for (let x = 0; x < outWidth!; x++)
        for (let i = 0; i < filterHeight!; i++)
          for (let j = 0; j < filterWidth!; j++)
            for (let c = 0; c < channels!; c++, at++) {
              const [row, column] = [y * strideHeight! + i - top!, x * strideWidth! + j - left!];
              const inside = row >= 0 && row < height! && column >= 0 && column < width!;
              target[at] = inside ? source[((b * height! + row) * width! + column) * channels! + c]! : 0;
            }
  return target;
}

const random = seededRandom(19);

describe("the SIMD module's unfolding of patches", () => {
  beforeAll(async () => {
    expect((await useBackend('wasm')).name).toBe('wasm');
    expect(heapSimd()).not.toBeNull();
  });

  for (const [shape, filter, stride, padding] of [
    [
      [2, 7, 6, 3],
      [3, 3],
      [1, 1],
      [1, 1],
    ],
    [
      [1, 9, 9, 4],
      [3, 2],
      [2, 2],
      [1, 0],
    ],
    [
      [3, 5, 8, 5],
      [5, 5],
      [1, 2],
      [2, 2],
    ],
    [
      [2, 4, 4, 1],
      [1, 1],
      [1, 1],
      [0, 0],
    ],
  ] as [number[], number[], number[], number[]][]) {
    it(`x ${shape}, filter ${filter}, stride ${stride}, padding ${padding}: the reference's patches`, () => {
      const [, height, width] = shape as [number, number, number, number];
      const outHeight = Math.floor((height + 2 * padding[0]! - filter[0]!) / stride[0]!) + 1;
      const outWidth = Math.floor((width + 2 * padding[1]! - filter[1]!) / stride[1]!) + 1;
      const values = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random() - 0.5);
      const expected = unfoldReference(values, shape, [outHeight, outWidth], filter, stride, padding);
      const x = tf.tensor(values, shape);
      const patches = tf.zeros([expected.length]);
      const simd = heapSimd()!;
      const [b, h, w, c] = shape as [number, number, number, number];
      simd.unfold(
        ...[simd.address(x), simd.address(patches), b, h, w, c, outHeight, outWidth],
        ...([filter[0]!, filter[1]!, stride[0]!, stride[1]!, padding[0]!, padding[1]!] as const),
      );
      expect(Array.from(patches.dataSync())).toEqual(Array.from(expected));
      tf.dispose([x, patches]);
    });
  }
});
