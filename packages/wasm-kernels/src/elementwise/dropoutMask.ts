import * as tf from '@tensorflow/tfjs-core';
import { DROPOUT_MASK } from '../kernelNames';
import { heapSimd } from '../heap/heapSimd';
import { registerOnHeap } from '../heap/registerOnHeap';

/**
 * Dropout's mask drawn on the wasm heap: 1 / keep where an element is kept (probability keep = 1 - rate), else 0.
 * tfjs-core's dropout draws its uniforms one at a time in JavaScript (tf.randomUniform, ~7 ns a number here) and
 * then runs Add, Floor, RealDiv and Multiply over them: 4.3 ms for an attention map of [32, 4, 64, 64], about a
 * fifth of a Transformer step. Here four xorshift32 generators fill the mask in the SIMD module (a JavaScript loop
 * over Math.random where it did not load) and dropout is one Multiply by it, whose gradient is one Multiply too.
 * The mask takes no input, so the gradient tape never reaches it. The streams are seeded from Math.random, as
 * tfjs' unseeded dropout is.
 */

export interface DropoutMaskAttrs {
  shape: number[];
  rate: number;
}

const seed = () => Math.floor(Math.random() * 0xffffffff) | 0 || 0x9e3779b9;

export function installDropoutMask(backendName: string): void {
  registerOnHeap(DROPOUT_MASK, backendName, (_inputs, attrs, wasm) => {
    const { shape, rate } = attrs as unknown as DropoutMaskAttrs;
    const keep = 1 - rate;
    const out = wasm.makeOutput(shape, 'float32');
    const size = tf.util.sizeFromShape(shape);
    const simd = heapSimd();
    const vectors = simd ? size - (size % 4) : 0;
    if (simd && vectors > 0) {
      // keep * 2^32 as the unsigned threshold a draw must fall below, passed in i32's bits.
      const threshold = Math.min(Math.round(keep * 2 ** 32), 2 ** 32 - 1) | 0;
      simd.dropoutMask(simd.address(out), vectors, threshold, 1 / keep, seed(), seed(), seed(), seed());
    }
    const mask = wasm.typedArrayFromHeap(out) as Float32Array;
    for (let i = vectors; i < size; i++) mask[i] = Math.random() < keep ? 1 / keep : 0;
    return out;
  });
}
