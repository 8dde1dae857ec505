import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

/**
 * The values of every tensor `compute` returns, computed on the cpu backend (the reference) and then on wasm, where
 * it must leave no tensor behind. Ends on wasm.
 */
export async function onCpuAndWasm(compute: () => tf.Tensor[]): Promise<{ cpu: Float32Array[]; wasm: Float32Array[] }> {
  await tf.setBackend('cpu');
  const reference = tf.tidy(compute);
  const cpu = await Promise.all(reference.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose(reference);
  await tf.setBackend('wasm');
  const before = tf.memory().numTensors;
  const result = tf.tidy(compute);
  const wasm = await Promise.all(result.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose(result);
  expect(tf.memory().numTensors).toBe(before);
  return { cpu, wasm };
}
