import * as tf from '@tensorflow/tfjs-core';
import { DROPOUT_MASK } from '../kernelNames';
import { heapSimd } from '../heap/heapSimd';
import { registerOnHeap } from '../heap/registerOnHeap';

/**
 * Dropout's mask drawn on the wasm heap: 1 / keep where an element is kept (probability keep = 1 - rate), else 0.
 * tfjs-core's dropout draws its uniforms one at a time in JavaScript (tf.randomUniform, ~7 ns a number here) and
 * then runs Add, Floor, RealDiv and Multiply over them: 4.3 ms for an attention map of [32, 4, 64, 64], about a
 * fifth of a Transformer step. Here four xorshift32 generators fill the mask in the SIMD module (a JavaScript
 * xorshift32 where it did not load) and dropout is one Multiply by it, whose gradient is one Multiply too. The mask
 * takes no input, so the gradient tape never reaches it. The streams are seeded by the caller (a run draws its
 * seeds from its own seed and step, so that it can be run again mask for mask), else from Math.random.
 */

export interface DropoutMaskAttrs {
  shape: number[];
  rate: number;
  /**
   * The four generators' seeds, for a mask that a run can draw again (its seed and step give them); drawn from
   * Math.random when absent.
   */
  seeds?: [number, number, number, number];
}

const randomSeed = () => Math.floor(Math.random() * 0xffffffff) | 0 || 0x9e3779b9;
/** xorshift32 has one fixed point, 0: a seed of 0 is moved off it. */
const nonZero = (seed: number) => seed | 0 || 0x9e3779b9;

export function installDropoutMask(backendName: string): void {
  registerOnHeap(DROPOUT_MASK, backendName, (_inputs, attrs, wasm) => {
    const { shape, rate, seeds } = attrs as unknown as DropoutMaskAttrs;
    const [s0, s1, s2, s3] = (seeds ?? [randomSeed(), randomSeed(), randomSeed(), randomSeed()]).map(nonZero) as [
      number,
      number,
      number,
      number,
    ];
    const keep = 1 - rate;
    const out = wasm.makeOutput(shape, 'float32');
    const size = tf.util.sizeFromShape(shape);
    const simd = heapSimd();
    const vectors = simd ? size - (size % 4) : 0;
    if (simd && vectors > 0) {
      // keep * 2^32 as the unsigned threshold a draw must fall below, passed in i32's bits.
      const threshold = Math.min(Math.round(keep * 2 ** 32), 2 ** 32 - 1) | 0;
      simd.dropoutMask(simd.address(out), vectors, threshold, 1 / keep, s0, s1, s2, s3);
    }
    // The tail past the last whole vector (or all of it without the SIMD module): xorshift32 from the fourth seed
    // mixed with the first, so that a seeded mask is drawn the same every time.
    const mask = wasm.typedArrayFromHeap(out) as Float32Array;
    let state = nonZero(s3 ^ Math.imul(s0, 0x85ebca6b));
    for (let i = vectors; i < size; i++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      mask[i] = (state >>> 0) / 2 ** 32 < keep ? 1 / keep : 0;
    }
    return out;
  });
}
