import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-wasm';
import { DENSE, registerWasmKernels } from '../src';

// npm run bench -w @attention-workbench/wasm-kernels: a few training steps' kernels on plain tfjs-backend-wasm, then
// after registerWasmKernels, in one process. Prints figures; asserts nothing.

const random = (shape: number[]) => tf.randomUniform(shape, -1, 1, 'float32', 7);

interface Case {
  name: string;
  inputs: () => tf.Tensor[];
  run: (inputs: tf.Tensor[]) => tf.Tensor | tf.Tensor[];
}

const CASES: Case[] = [
  {
    name: 'dense forward+backward [2048,128]x[128,64]',
    inputs: () => [random([2048, 128]), random([128, 64])],
    run: ([x, w]) => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.relu(tf.matMul(a, b))))([x!, w!]),
  },
  {
    // mlp-image's first layer as its training step runs it: DENSE where registered, tfjs' three ops before.
    name: 'dense layer, ReLU and bias [32,3072]x[3072,25]',
    inputs: () => [random([32, 3072]), random([3072, 25]), random([25])],
    run: ([x, w, b]) =>
      tf.grads((a: tf.Tensor, k: tf.Tensor, c: tf.Tensor) =>
        tf.sum(
          tf.getKernel(DENSE, tf.getBackend())
            ? (tf.engine().runKernel(DENSE, { x: a, kernel: k, bias: c }, { activation: 'relu' }) as tf.Tensor)
            : tf.relu(tf.add(tf.matMul(a, k), c)),
        ),
      )([x!, w!, b!]),
  },
  {
    name: 'attention scores, 128 heads [64,16]x[16,64]',
    inputs: () => [random([128, 64, 16]), random([128, 64, 16])],
    run: ([q, k]) => tf.matMul(q!, k!, false, true),
  },
  {
    name: 'conv 3x3 [32,32,32,32] forward+backward',
    inputs: () => [random([32, 32, 32, 32]), random([3, 3, 32, 32])],
    run: ([x, w]) =>
      tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same')))([
        x!,
        w!,
      ]),
  },
  {
    name: 'max pool 2x2 backward [32,32,32,32]',
    inputs: () => [random([32, 32, 32, 32])],
    run: ([x]) => tf.grad((a: tf.Tensor) => tf.sum(tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid')))(x!),
  },
  {
    name: 'softmax backward [32,4,64,64]',
    inputs: () => [random([32, 4, 64, 64])],
    run: ([x]) => tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.softmax(a), a)))(x!),
  },
  {
    name: 'tanh [2048,256]',
    inputs: () => [random([2048, 256])],
    run: ([x]) => tf.tanh(x!),
  },
  {
    name: 'transpose [32,64,4,16] -> [32,4,64,16]',
    inputs: () => [random([32, 64, 4, 16])],
    run: ([x]) => tf.transpose(x!, [0, 2, 1, 3]),
  },
  {
    name: 'bias add [2048,64] + [64]',
    inputs: () => [random([2048, 64]), random([64])],
    run: ([x, b]) => tf.add(x!, b!),
  },
];

/** The median of `repeats` timed runs after two warm-ups, in ms; null where the backend cannot run it. */
function time(c: Case, repeats = 25): number | null {
  const inputs = c.inputs();
  try {
    const times: number[] = [];
    for (let i = 0; i < repeats + 2; i++) {
      const start = performance.now();
      // wasm runs kernels synchronously: the time is theirs alone, without reading the result back.
      tf.dispose(c.run(inputs));
      if (i >= 2) times.push(performance.now() - start);
    }
    return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
  } catch {
    return null;
  } finally {
    tf.dispose(inputs);
  }
}

await tf.setBackend('wasm');
const plain = CASES.map((c) => time(c));
const report = await registerWasmKernels(tf.backend());
const registered = CASES.map((c) => time(c));
console.log(`wasm kernels, one thread (SIMD module: ${report.simdProblem ?? 'loaded'})`);
console.log(`  ${'case'.padEnd(46)} ${'plain ms'.padStart(9)} ${'package ms'.padStart(11)} ${'speed-up'.padStart(9)}`);
CASES.forEach((c, i) => {
  const [before, after] = [plain[i], registered[i]];
  const ratio = before && after ? `${(before / after).toFixed(1)}x` : '';
  const cell = (ms: number | null | undefined) => (ms == null ? 'missing' : ms.toFixed(2));
  console.log(`  ${c.name.padEnd(46)} ${cell(before).padStart(9)} ${cell(after).padStart(11)} ${ratio.padStart(9)}`);
});
