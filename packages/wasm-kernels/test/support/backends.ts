import * as tf from '@tensorflow/tfjs-core';
// Gradients: tfjs-core's Node build leaves them out, tfjs-layers' registers them all when loaded.
import '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-wasm';
import { installSegmentSumByScatter, registerWasmKernels } from '../../src';

/** Activates `name` as a tfjs program using this package would: wasm with the package's kernels, or plain cpu. */
export async function useBackend(name: 'wasm' | 'cpu'): Promise<{ name: string }> {
  if (!(await tf.setBackend(name))) throw new Error(`the ${name} backend failed to initialise`);
  if (name === 'wasm') await registerWasmKernels(tf.backend());
  else installSegmentSumByScatter(name);
  return { name: tf.getBackend() };
}

/** mulberry32: inputs that are the same on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    const t = Math.imul(state ^ (state >>> 15), state | 1);
    const u = t ^ (t + Math.imul(t ^ (t >>> 7), t | 61));
    return ((u ^ (u >>> 14)) >>> 0) / 4294967296;
  };
}
