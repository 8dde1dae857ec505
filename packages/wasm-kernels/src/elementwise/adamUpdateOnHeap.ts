import * as tf from '@tensorflow/tfjs-core';
import { ADAM_UPDATE, type AdamUpdateAttrs } from '../kernelNames';
import { heapSimd } from '../heap/heapSimd';
import { type WasmHeapBackend } from '../heap/wasmHeap';
import { registerOnHeap } from '../heap/registerOnHeap';

/**
 * One Adam step of one variable as one loop over the wasm heap:
 *
 *   m <- b1 m + (1 - b1) g        v <- b2 v + (1 - b2) g^2
 *   w <- w - lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
 */
function adamUpdate(inputs: tf.NamedTensorInfoMap, attrs: AdamUpdateAttrs, backend: WasmHeapBackend) {
  const value = inputs['value']!;
  const outputs = [value, value, value].map(() => backend.makeOutput(value.shape, 'float32'));
  const [w, m, v] = outputs.map((o) => backend.typedArrayFromHeap(o) as Float32Array) as Float32Array[];
  const [w0, m0, v0, g] = ['value', 'm', 'v', 'gradient'].map(
    (name) => backend.typedArrayFromHeap(inputs[name]!) as Float32Array,
  ) as Float32Array[];
  const { beta1, beta2, epsilon, learningRate, correction1, correction2 } = attrs;
  const [keep1, keep2] = [1 - beta1, 1 - beta2];
  const simd = heapSimd();
  // Four lanes at a time in WebAssembly where it loaded; the last few (and everything without it) here.
  const lanes = simd ? w!.length - (w!.length % 4) : 0;
  if (simd && lanes > 0) {
    const [a0, a1, a2, a3] = [value, inputs['m']!, inputs['v']!, inputs['gradient']!].map(simd.address);
    const [b0, b1, b2] = outputs.map(simd.address);
    simd.adam(
      a0!,
      a1!,
      a2!,
      a3!,
      b0!,
      b1!,
      b2!,
      lanes,
      beta1,
      beta2,
      learningRate / correction1,
      1 / correction2,
      epsilon,
    );
  }
  for (let i = lanes; i < w!.length; i++) {
    const gi = g![i]!;
    const first = beta1 * m0![i]! + keep1 * gi;
    const second = beta2 * v0![i]! + keep2 * gi * gi;
    m![i] = first;
    v![i] = second;
    w![i] = w0![i]! - (learningRate * (first / correction1)) / (Math.sqrt(second / correction2) + epsilon);
  }
  return outputs;
}

/**
 * Elements up to which the TypeScript loop beats a dozen of wasm's composed kernels. wasm's element-wise kernels are
 * SIMD and a JavaScript loop is not, so for a large weight (an embedding table) the composed kernels are quicker
 * (measured here: [1000, 64] 1.4 against 1.7 ms, [8000, 64] 9.8 against 7.3).
 */
export const TYPESCRIPT_UP_TO = 131_072;

/** The largest weight ADAM_UPDATE is worth calling for: every size once it runs in SIMD. */
export const fusedAdamLimit = (): number => (heapSimd() ? Infinity : TYPESCRIPT_UP_TO);

export function installAdamUpdateOnHeap(backendName: string): void {
  registerOnHeap(ADAM_UPDATE, backendName, (inputs, attrs, backend) => {
    const dtypes = Object.values(inputs).map((x) => x?.dtype);
    if (dtypes.some((d) => d !== 'float32')) throw new Error(`${ADAM_UPDATE}: float32 only, got ${dtypes.join(', ')}`);
    return adamUpdate(inputs, attrs as unknown as AdamUpdateAttrs, backend);
  });
}
