import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DENSE, DENSE_GRAD, type DenseAttrs } from '../src/kernelNames';
import { heapSimd } from '../src/heap/heapSimd';
import { expectClose } from './support/tensorAssertions';
import { onCpuAndWasm } from './support/cpuAndWasm';
import { seededRandom, useBackend } from './support/backends';

const random = seededRandom(29);
const values = (n: number) => Array.from({ length: n }, () => random() * 2 - 1);

/**
 * act(x W + b) on the active backend: the package's DENSE on wasm, tfjs' own ops (the reference) on cpu. Returns
 * the output and the gradients of sum(y * probe) with respect to x, W and (where there is one) b.
 */
function denseAndGrads(
  [rows, depth, columns]: number[],
  activation: DenseAttrs['activation'],
  withBias: boolean,
  data: { x: number[]; w: number[]; b: number[]; probe: number[] },
): tf.Tensor[] {
  const x = tf.tensor2d(data.x, [rows!, depth!]);
  const w = tf.tensor2d(data.w, [depth!, columns!]);
  const b = tf.tensor1d(data.b);
  const probe = tf.tensor2d(data.probe, [rows!, columns!]);
  const dense = (xs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor): tf.Tensor => {
    if (tf.getBackend() === 'wasm') {
      const inputs = { x: xs, kernel: ws, ...(withBias ? { bias: bs } : {}) };
      return tf.engine().runKernel(DENSE, inputs, { activation } as unknown as tf.NamedAttrMap) as tf.Tensor;
    }
    const z = withBias ? tf.add(tf.matMul(xs, ws), bs) : tf.matMul(xs, ws);
    return activation === 'relu' ? tf.relu(z) : z;
  };
  const y = dense(x, w, b);
  const loss = (xs: tf.Tensor, ws: tf.Tensor, bs?: tf.Tensor) => tf.sum(tf.mul(dense(xs, ws, bs ?? b), probe));
  return [y, ...tf.grads(loss)(withBias ? [x, w, b] : [x, w])];
}

describe("a dense layer's kernels on the wasm heap", () => {
  beforeAll(async () => {
    expect((await useBackend('wasm')).name).toBe('wasm');
    expect(heapSimd()).not.toBeNull();
  });
  afterEach(() => vi.restoreAllMocks());

  // Columns in fours, with a tail (mlp-image's 25), fewer than four, and a single row.
  const cases = [
    [32, 64, 8],
    [7, 13, 25],
    [4, 5, 3],
    [1, 9, 6],
  ];
  for (const shape of cases)
    for (const activation of ['relu', 'linear'] as const)
      for (const withBias of [true, false])
        it(`[${shape}] ${activation}${withBias ? ' with a bias' : ''}: the output and gradients are tfjs' ops' on cpu`, async () => {
          const [rows, depth, columns] = shape as [number, number, number];
          const data = {
            x: values(rows * depth),
            w: values(depth * columns),
            b: values(columns),
            probe: values(rows * columns),
          };
          // Pre-activations of exactly 0 where ReLU's gradient is taken at its kink: tfjs' is 0 there.
          data.x.fill(0, 0, depth);
          const grad = vi.spyOn(heapSimd()!, 'denseGrad');
          const { cpu, wasm } = await onCpuAndWasm(() => denseAndGrads(shape, activation, withBias, data));
          expect(wasm).toHaveLength(withBias ? 4 : 3);
          wasm.forEach((values, i) => expectClose(values, cpu[i]!, 1e-5));
          expect(grad).toHaveBeenCalledTimes(1);
        });

  it("sums the bias' gradient over 2,048 rows in float64, rounded once", async () => {
    const [rows, columns] = [2048, 6];
    // Gradients of about 1,000 with fractions of 0.01: a float32 running sum drops the fractions as it grows.
    const dy = Array.from({ length: rows * columns }, (_, i) => (i % 2 ? 1000 : -1000) + random() * 1e-2);
    const y = Array.from({ length: rows * columns }, () => random() - 0.25);
    const expected = new Float64Array(columns);
    dy.forEach((g, i) => (expected[i % columns] += Math.fround(y[i]!) > 0 ? Math.fround(g) : 0));
    const inputs = { dy: tf.tensor2d(dy, [rows, columns]), y: tf.tensor2d(y, [rows, columns]) };
    const attrs = { activation: 'relu' } as unknown as tf.NamedAttrMap;
    const [dz, db] = tf.engine().runKernel(DENSE_GRAD, inputs, attrs) as tf.Tensor[];
    const sums = await db!.data();
    // A float32 running sum is off by several units here (-1548998.75 for -1548992.25).
    expect(sums[0]).toBe(Math.fround(expected[0]!));
    expectClose(sums, expected, 1e-6 * Math.max(...expected.map(Math.abs)));
    const dzValues = await dz!.data();
    expect(dzValues[0]).toBe(Math.fround(y[0]!) > 0 ? Math.fround(dy[0]!) : 0);
    tf.dispose([dz!, db!, inputs.dy, inputs.y]);
  });

  it('names what is wrong with shapes that do not multiply', async () => {
    await useBackend('wasm');
    const x = tf.zeros([2, 3]);
    const w = tf.zeros([4, 5]);
    expect(() =>
      tf.engine().runKernel(DENSE, { x, kernel: w }, { activation: 'relu' } as unknown as tf.NamedAttrMap),
    ).toThrow(/x \[rows, depth\] and kernel \[depth, cols\], not \[2, 3\] and \[4, 5\]/);
    tf.dispose([x, w]);
  });
});
