import * as tf from '@tensorflow/tfjs-core';

/**
 * Whether the backend still computes: 1 + [1, 2, 3] must give [2, 3, 4]. After wasm runs out of its 4 GiB heap it
 * either throws "Aborted()" on every call or, worse, returns garbage (seen: [2.02, 0, 0]); either way no later run
 * in this worker could be trusted. Read asynchronously: WebGPU in Node has no synchronous read (it needs an
 * OffscreenCanvas), and a throw here would report a working GPU as lost.
 */
export async function backendComputes(): Promise<boolean> {
  try {
    const result = tf.tidy(() => tf.add(tf.tensor1d([1, 2, 3]), 1));
    const values = await result.data();
    result.dispose();
    return values.length === 3 && values[0] === 2 && values[1] === 3 && values[2] === 4;
  } catch {
    return false;
  }
}
