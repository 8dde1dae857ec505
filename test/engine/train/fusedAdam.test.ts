import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/engine/backend';
import { seededRandom } from '../../../src/engine/data/split/seededRandom';
import { ADAM_UPDATE, heapSimdProblem, withoutHeapSimd } from '@attention-workbench/wasm-kernels';
import { createOptimizer, setLearningRate } from '../../../src/engine/train/optimizer';
import { hyperParamsSchema } from '../../../src/shared/hyperParams';
import { expectClose } from '../../support/tensorAssertions';

const random = seededRandom(41);
// A scalar, a vector, matrices with a size-1 and an empty axis, a rank-4 kernel, and a weight large enough for the
// composed kernels (over FUSED_UP_TO elements).
const SHAPES = [[], [7], [1, 5], [0, 3], [3, 4], [2, 3, 2, 5], [401, 330]];
const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const values = (shape: number[], scale: number) => Array.from({ length: size(shape) }, () => (random() - 0.5) * scale);
const initial = SHAPES.map((shape) => values(shape, 2));
// Gradients of very different sizes per step, so that the bias corrections and the square root both matter.
const gradients = Array.from({ length: 6 }, (_, step) => SHAPES.map((shape) => values(shape, 10 ** ((step % 3) - 1))));
// The learning rate changes between steps, as a schedule changes it.
const RATES = [0.01, 0.01, 0.005, 0.02, 0.001, 0.01];
let runs = 0;

interface Trained {
  weights: number[][];
  state: { name: string; values: number[] }[];
  leaked: number;
}

/** `steps` Adam steps from `start` (weights and optimizer state, or the initial weights and a fresh state). */
async function train(backend: string, fused: boolean, steps: number[], start?: Trained): Promise<Trained> {
  await tf.setBackend(backend);
  const run = runs++;
  const variables = SHAPES.map((shape, i) =>
    tf.variable(tf.tensor(start ? start.weights[i]! : initial[i]!, shape), true, `fusedAdam${run}_${i}`),
  );
  const optimizer = fused
    ? createOptimizer(hyperParamsSchema.parse({ optimizer: 'adam', learningRate: RATES[0] }))
    : tf.train.adam(RATES[0]);
  if (start) {
    await optimizer.setWeights(
      start.state.map(({ name, values: v }, i) => ({
        // The moments are named after their weight: renamed to this run's weights.
        name: name.replace(/fusedAdam\d+_/, `fusedAdam${run}_`),
        tensor: i === 0 ? tf.scalar(v[0]!) : tf.tensor(v, SHAPES[(i - 1) % SHAPES.length]),
      })),
    );
  }
  let before = 0;
  for (const [n, step] of steps.entries()) {
    if (n === 1) before = tf.memory().numTensors;
    setLearningRate(optimizer, RATES[step]!);
    const grads = Object.fromEntries(variables.map((v, i) => [v.name, tf.tensor(gradients[step]![i]!, SHAPES[i])]));
    optimizer.applyGradients(grads);
    tf.dispose(Object.values(grads));
  }
  const leaked = tf.memory().numTensors - before;
  const saved = await optimizer.getWeights();
  const state = await Promise.all(
    saved.map(async ({ name, tensor }) => ({ name, values: [...(await tensor.data())] })),
  );
  tf.dispose(saved[0]!.tensor); // the iteration count is a new scalar; the moments are the optimizer's own
  const weights = await Promise.all(variables.map(async (v) => [...(await v.data())]));
  optimizer.dispose();
  tf.dispose(variables);
  return { weights, state, leaked };
}

function expectSame(actual: Trained, expected: Trained) {
  actual.weights.forEach((w, i) => expectClose(w, expected.weights[i]!, 1e-5));
  expect(actual.state.map((s) => s.name.replace(/\d+_/, '_'))).toEqual(
    expected.state.map((s) => s.name.replace(/\d+_/, '_')),
  );
  actual.state.forEach((s, i) => expectClose(s.values, expected.state[i]!.values, 1e-5));
}

describe('FusedAdam', () => {
  beforeAll(async () => {
    expect((await selectBackend('wasm')).name).toBe('wasm');
    expect(tf.getKernel(ADAM_UPDATE, 'wasm')).toBeDefined();
    // Node's WebAssembly has SIMD: the step runs in the SIMD module here.
    expect(heapSimdProblem()).toBeNull();
  });

  it("takes the steps tfjs' Adam takes on the cpu backend (weights, moments, step count), with no tensor leak", async () => {
    const all = [0, 1, 2, 3, 4, 5];
    const reference = await train('cpu', false, all);
    const fused = await train('wasm', true, all);
    expectSame(fused, reference);
    // The weights moved: a fused kernel that returned its input would not pass the comparison, but say so plainly.
    expect(Math.abs(fused.weights[1]![0]! - initial[1]![0]!)).toBeGreaterThan(1e-4);
    expect(fused.state[0]!.values[0]).toBe(6);
    expect(fused.leaked).toBe(0);
    // And the TypeScript loop, where SIMD does not load.
    const plain = await withoutHeapSimd(() => train('wasm', true, all));
    expectSame(plain, reference);
    expect(plain.leaked).toBe(0);
  });

  it('goes on from a saved state as if never stopped (what resuming a run from its checkpoint does)', async () => {
    const uninterrupted = await train('wasm', true, [0, 1, 2, 3, 4, 5]);
    const firstHalf = await train('wasm', true, [0, 1, 2]);
    const resumed = await train('wasm', true, [3, 4, 5], firstHalf);
    expectSame(resumed, uninterrupted);
    // And tfjs' own Adam reads the fused optimizer's saved state the same way.
    const resumedByTfjs = await train('cpu', false, [3, 4, 5], firstHalf);
    expectSame(resumedByTfjs, uninterrupted);
  });
});
