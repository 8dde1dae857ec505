import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { withoutHeapSimd } from '../src/heap/heapSimd';
import { expectClose } from './support/tensorAssertions';
import { seededRandom, useBackend } from './support/backends';

const random = seededRandom(23);
const int = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));

/** The same computation on the cpu backend (tfjs' reference kernels) and on wasm with the workbench's kernels. */
async function onBoth(compute: () => tf.Tensor): Promise<{ cpu: tf.TypedArray; wasm: tf.TypedArray; shape: number[] }> {
  await tf.setBackend('cpu');
  const reference = tf.tidy(compute);
  const cpu = await reference.data();
  reference.dispose();
  await tf.setBackend('wasm');
  const before = tf.memory().numTensors;
  const result = tf.tidy(compute);
  const [wasm, shape] = [await result.data(), result.shape];
  result.dispose();
  expect(tf.memory().numTensors).toBe(before);
  return { cpu, wasm, shape };
}

/** A shape of rank 0-4, sizes 1-5, sometimes with a 0. */
const randomShape = (rank: number) => Array.from({ length: rank }, () => (random() < 0.05 ? 0 : int(1, 5)));
/** A shape that broadcasts against `shape`: some axes set to 1, maybe fewer leading axes. */
const broadcastOf = (shape: number[]) => shape.slice(int(0, shape.length)).map((d) => (random() < 0.5 ? 1 : d));
/** Small integers as a tensor of any dtype (bool: the positive ones are true). */
const typedTensor = (values: number[], shape: number[], dtype: 'float32' | 'int32' | 'bool') =>
  tf.tensor(dtype === 'bool' ? values.map((v) => v > 0) : values, shape, dtype);
const integers = (shape: number[]) => Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => int(-2, 2));

describe('wasm block kernels against the cpu backend', () => {
  beforeAll(async () => {
    expect((await useBackend('wasm')).name).toBe('wasm');
  });

  it('Tile repeats blocks as tfjs does, for 60 random shapes and repetitions of float32, int32 and bool', async () => {
    for (let trial = 0; trial < 60; trial++) {
      const shape = randomShape(int(1, 4));
      const reps = shape.map(() => int(1, 4));
      const values = integers(shape);
      const dtype = (['float32', 'int32', 'bool'] as const)[trial % 3]!;
      const { cpu, wasm, shape: outShape } = await onBoth(() => tf.tile(typedTensor(values, shape, dtype), reps));
      expect(outShape).toEqual(shape.map((d, i) => d * reps[i]!));
      expect([...wasm]).toEqual([...cpu]);
    }
    // Innermost rows long enough (with their repetitions) for block copies rather than the plain loop.
    for (const [shape, reps] of [
      [
        [2, 40],
        [3, 2],
      ],
      [
        [3, 1],
        [2, 100],
      ],
      [
        [2, 3, 70],
        [2, 1, 1],
      ],
      // Only size-1 axes repeated, the innermost among them: a broadcast (a mean's gradient).
      [
        [2, 3, 1],
        [1, 1, 5],
      ],
      [
        [3, 1, 1],
        [1, 4, 6],
      ],
    ]) {
      const values = integers(shape!);
      const { cpu, wasm } = await onBoth(() => tf.tile(tf.tensor(values, shape), reps!));
      expect([...wasm]).toEqual([...cpu]);
    }
  });

  it('Transpose gives what tfjs gives for 80 random shapes (size-1 and 0 axes too), permutations and dtypes', async () => {
    for (let trial = 0; trial < 80; trial++) {
      // Some larger sizes, so that the tiled swaps cross tile edges (8 and 16).
      const shape = randomShape(int(1, 5)).map((d) => (random() < 0.2 ? int(15, 40) : d));
      const perm = shape.map((_, i) => i).sort(() => random() - 0.5);
      const values = integers(shape);
      const dtype = (['float32', 'int32', 'bool'] as const)[trial % 3]!;
      const transposed = () => tf.transpose(typedTensor(values, shape, dtype), perm);
      // In the WebAssembly module's tiled swap and in the TypeScript loops (every other trial).
      const {
        cpu,
        wasm,
        shape: outShape,
      } = await (trial % 2 === 0 ? onBoth(transposed) : withoutHeapSimd(() => onBoth(transposed)));
      expect(outShape).toEqual(perm.map((axis) => shape[axis]));
      expect([...wasm]).toEqual([...cpu]);
    }
    // Attention's head transposes: whole rows of 4k elements, three outer axes or fewer.
    for (const [shape, perm] of [
      [
        [2, 5, 3, 8],
        [0, 2, 1, 3],
      ],
      [
        [3, 4, 2, 4],
        [1, 0, 2, 3],
      ],
      [
        [2, 3, 4, 5, 4],
        [2, 0, 1, 3, 4],
      ],
    ]) {
      const values = integers(shape!);
      const { cpu, wasm } = await onBoth(() => tf.transpose(tf.tensor(values, shape), perm));
      expect([...wasm]).toEqual([...cpu]);
    }
  });

  it('Unpack (unstack) and Reverse give what tfjs gives, for random shapes, axes and dtypes, and their gradients', async () => {
    for (let trial = 0; trial < 40; trial++) {
      const shape = randomShape(int(1, 4));
      const values = integers(shape);
      const dtype = (['float32', 'int32', 'bool'] as const)[trial % 3]!;
      const make = () => typedTensor(values, shape, dtype);
      const axis = int(0, shape.length - 1);
      if (shape[axis]! > 0) {
        const unstacked = await onBoth(() => tf.stack(tf.unstack(make(), axis), 0));
        expect([...unstacked.wasm]).toEqual([...unstacked.cpu]);
      }
      const axes = [...new Set(Array.from({ length: int(1, shape.length) }, () => int(0, shape.length - 1)))];
      const reversed = await onBoth(() => tf.reverse(make(), axes));
      expect(reversed.shape).toEqual(shape);
      expect([...reversed.wasm]).toEqual([...reversed.cpu]);
    }
    // Through their gradients: each time step of a [2, 5, 3] sequence weighed by its reversed position.
    const x = integers([2, 5, 3]);
    const grads = await onBoth(() =>
      tf.grad((v: tf.Tensor) =>
        tf.addN(tf.unstack(tf.reverse(v, 1), 1).map((step, t) => tf.mul(tf.sum(step), t + 1)) as tf.Tensor[]),
      )(tf.tensor3d(x, [2, 5, 3])),
    );
    expect([...grads.wasm]).toEqual([...grads.cpu]);
  });

  it('Gather gives what tfjs gives for 60 random shapes, axes, batch dimensions, repeated indices and dtypes', async () => {
    for (let trial = 0; trial < 60; trial++) {
      // Rows on both sides of the plain-loop threshold (32, copyRow) now and then, as an embedding table's are.
      const shape = randomShape(int(1, 4)).map((d) => (random() < 0.15 ? int(16, 40) : d));
      const batchDims = trial % 4 === 3 && shape.length > 1 ? 1 : 0;
      const axis = int(batchDims, shape.length - 1);
      const length = shape[axis]!;
      const indexShape = [...shape.slice(0, batchDims), ...randomShape(int(0, 2))];
      const count = indexShape.reduce((a, b) => a * b, 1);
      if (length === 0 && count > 0) continue; // nothing to gather from
      if (batchDims > 0 && shape[0] === 0) continue; // tfjs' cpu kernel divides by the empty batch
      const indices = Array.from({ length: count }, () => int(0, length - 1));
      const values = integers(shape);
      const dtype = (['float32', 'int32', 'bool'] as const)[trial % 3]!;
      const {
        cpu,
        wasm,
        shape: outShape,
      } = await onBoth(() =>
        tf.gather(typedTensor(values, shape, dtype), tf.tensor(indices, indexShape, 'int32'), axis, batchDims),
      );
      expect(outShape).toEqual([...shape.slice(0, axis), ...indexShape.slice(batchDims), ...shape.slice(axis + 1)]);
      expect([...wasm]).toEqual([...cpu]);
    }
    // An embedding lookup and its gradient (rows summed where a token repeats).
    const table = Array.from({ length: 30 * 20 }, () => random());
    const tokens = [3, 7, 3, 29, 0, 7];
    const grads = await onBoth(() =>
      tf.grad((t: tf.Tensor) => tf.sum(tf.square(tf.gather(t, tf.tensor2d(tokens, [2, 3], 'int32')))))(
        tf.tensor2d(table, [30, 20]),
      ),
    );
    expectClose(grads.wasm, [...grads.cpu], 1e-6);
    // An index out of range is refused, naming it, as wasm's own kernel refuses it.
    expect(() => tf.gather(tf.zeros([4, 2]), tf.tensor1d([1, 4], 'int32'))).toThrow(/index value 4 is not in \[0, 3\]/);
  });

  it('Concat gives what tfjs gives for 60 random sets of shapes, axes (short and long rows), empties and dtypes', async () => {
    for (let trial = 0; trial < 60; trial++) {
      const base = randomShape(int(1, 4)).map((d) => (random() < 0.15 ? int(30, 40) : d));
      const axis = int(0, base.length - 1);
      const shapes = Array.from({ length: int(1, 4) }, () =>
        base.map((d, a) => (a === axis ? (random() < 0.1 ? 0 : int(1, 3)) : d)),
      );
      const dtype = (['float32', 'int32', 'bool'] as const)[trial % 3]!;
      const parts = shapes.map((shape) => integers(shape));
      const { cpu, wasm, shape } = await onBoth(() =>
        tf.concat(
          parts.map((v, i) => typedTensor(v, shapes[i]!, dtype)),
          axis,
        ),
      );
      expect(shape).toEqual(base.map((d, a) => (a === axis ? shapes.reduce((sum, s) => sum + s[a]!, 0) : d)));
      expect([...wasm]).toEqual([...cpu]);
    }
    // And split apart again: sizes given or an equal number of parts.
    for (let trial = 0; trial < 30; trial++) {
      const shape = randomShape(int(1, 4)).map((d) => (random() < 0.15 ? int(30, 40) : Math.max(1, d)));
      const axis = int(0, shape.length - 1);
      const parts = Array.from({ length: int(1, 3) }, () => int(0, 2));
      const full = shape.map((d, a) => (a === axis ? parts.reduce((x, y) => x + y, 0) : d));
      if (full[axis] === 0) continue;
      const values = integers(full);
      const dtype = (['float32', 'int32', 'bool'] as const)[trial % 3]!;
      const { cpu, wasm } = await onBoth(() =>
        tf.concat(tf.split(typedTensor(values, full, dtype), parts, axis).map((piece) => tf.reshape(piece, [-1]))),
      );
      expect([...wasm]).toEqual([...cpu]);
    }
    // CBAM's spatial gate: two one-channel maps side by side, and the gradient back through the concat.
    const [mean, max] = [integers([2, 3, 3, 1]), integers([2, 3, 3, 1])];
    const weights = integers([2, 3, 3, 2]);
    const grads = await onBoth(() =>
      tf.grad((m: tf.Tensor) =>
        tf.sum(tf.mul(tf.concat([m, tf.tensor4d(max, [2, 3, 3, 1])], 3), tf.tensor4d(weights, [2, 3, 3, 2]))),
      )(tf.tensor4d(mean, [2, 3, 3, 1])),
    );
    expect([...grads.wasm]).toEqual([...grads.cpu]);
  });

  it('Sum, Mean and Max over any axes give what tfjs gives (to float32 rounding), keepDims or not, NaN too', async () => {
    for (let trial = 0; trial < 60; trial++) {
      const shape = randomShape(int(1, 4));
      // Now and then a NaN, which a max must return wherever it lies.
      const values = Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () =>
        trial % 10 === 9 && random() < 0.1 ? NaN : random() * 2 - 1,
      );
      const axes = [...new Set(Array.from({ length: int(1, shape.length) }, () => int(0, shape.length - 1)))];
      const keepDims = trial % 2 === 0;
      for (const op of values.length === 0 ? (['sum', 'mean'] as const) : (['sum', 'mean', 'max'] as const)) {
        const result = await onBoth(() => tf[op](tf.tensor(values, shape), axes, keepDims));
        expect(result.shape).toEqual(
          keepDims ? shape.map((d, a) => (axes.includes(a) ? 1 : d)) : shape.filter((_, a) => !axes.includes(a)),
        );
        const [wasm, cpu] = [[...result.wasm], [...result.cpu]];
        expect(wasm.map(Number.isNaN)).toEqual(cpu.map(Number.isNaN));
        const numbers = (list: number[]) => list.map((v) => (Number.isNaN(v) ? 0 : v));
        expectClose(numbers(wasm), numbers(cpu), 1e-5);
      }
    }
  });

  it("the gradient of a mean (spread by a tile on wasm) is the cpu backend's, over random axes, keepDims or not", async () => {
    for (let trial = 0; trial < 20; trial++) {
      const shape = randomShape(int(1, 4)).map((d) => Math.max(1, d));
      const axes = [...new Set(Array.from({ length: int(1, shape.length) }, () => int(0, shape.length - 1)))];
      const x = integers(shape);
      const reduced = shape.filter((_, a) => !axes.includes(a));
      const keepDims = trial % 2 === 0;
      const weights = integers(keepDims ? shape.map((d, a) => (axes.includes(a) ? 1 : d)) : reduced);
      const {
        cpu,
        wasm,
        shape: gradShape,
      } = await onBoth(() =>
        tf.grad((v: tf.Tensor) =>
          tf.sum(
            tf.mul(
              tf.mean(v, axes, keepDims),
              tf.tensor(weights, keepDims ? shape.map((d, a) => (axes.includes(a) ? 1 : d)) : reduced),
            ),
          ),
        )(tf.tensor(x, shape)),
      );
      expect(gradShape).toEqual(shape);
      expectClose(wasm, [...cpu], 1e-6);
    }
  });

  it("Tanh (the module's rational tanh) is within 5e-7 of the cpu backend's, tails, extremes and NaN too", async () => {
    for (const size of [0, 3, 4, 13, 4099]) {
      const values = Array.from({ length: size }, (_, i) =>
        i === 1 ? NaN : i === 2 ? 40 : i === 5 ? -1e9 : (random() * 2 - 1) * (i % 3 === 0 ? 9 : 2),
      );
      const { cpu, wasm } = await onBoth(() => tf.tanh(tf.tensor1d(values)));
      expect([...wasm].map(Number.isNaN)).toEqual([...cpu].map(Number.isNaN));
      const numbers = (list: ArrayLike<number>) => Array.from(list, (v) => (Number.isNaN(v) ? 0 : v));
      expectClose(numbers(wasm), numbers(cpu), 5e-7);
    }
    // Its gradient, 1 - tanh^2, through the same kernel.
    const x = Array.from({ length: 64 }, () => random() * 6 - 3);
    const { cpu, wasm } = await onBoth(() => tf.grad((t: tf.Tensor) => tf.sum(tf.tanh(t)))(tf.tensor1d(x)));
    expectClose(wasm, [...cpu], 1e-6);
  });

  it('Identity shares the bytes and a clone outlives its source', async () => {
    const source = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const copy = tf.clone(source);
    source.dispose();
    expect([...(await copy.data())]).toEqual([1, 2, 3, 4]);
    copy.dispose();
  });

  it('a Cast to the same dtype shares the bytes, and one to another dtype converts', async () => {
    const source = tf.tensor1d([1.5, -2.25, 3]);
    const buffers = () => (tf.memory() as unknown as { numDataBuffers: number }).numDataBuffers;
    const before = buffers();
    const same = tf.cast(source, 'float32');
    expect(buffers()).toBe(before);
    const truncated = tf.cast(source, 'int32');
    source.dispose();
    expect([...(await same.data())]).toEqual([1.5, -2.25, 3]);
    expect([...(await truncated.data())]).toEqual([1, -2, 3]);
    tf.dispose([same, truncated]);
  });

  it("batch norm's gradient (which tiles) is the cpu backend's", async () => {
    const x = Array.from({ length: 4 * 3 * 3 * 5 }, () => random() * 2 - 1);
    const gradient = () =>
      tf.grad((input: tf.Tensor) =>
        tf.sum(
          tf.square(
            tf.batchNorm(input, tf.mean(input, [0, 1, 2]), tf.fill([5], 0.5), tf.fill([5], 0.1), tf.fill([5], 1.5)),
          ),
        ),
      )(tf.tensor4d(x, [4, 3, 3, 5]));
    const { cpu, wasm } = await onBoth(gradient);
    expectClose(wasm, [...cpu], 1e-4);
  });

  for (const op of ['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual'] as const) {
    it(`${op} broadcasts as tfjs does, for 40 random pairs of shapes with ties, float32 and int32`, async () => {
      for (let trial = 0; trial < 40; trial++) {
        const shape = randomShape(int(0, 4));
        const other = broadcastOf(shape);
        const [first, second] = trial % 2 === 0 ? [shape, other] : [other, shape];
        const dtype = trial % 4 < 2 ? 'float32' : 'int32';
        const [a, b] = [integers(first), integers(second)];
        const {
          cpu,
          wasm,
          shape: outShape,
        } = await onBoth(() => tf[op](tf.tensor(a, first, dtype), tf.tensor(b, second, dtype)));
        expect(outShape).toEqual(tf.backend_util.assertAndGetBroadcastShape(first, second));
        expect([...wasm]).toEqual([...cpu]);
      }
    });
  }

  it('MaxPoolGrad sends each gradient to its window maximum as tfjs does: sizes, strides, padding, overlaps, ties', async () => {
    for (const [shape, size, stride, pad] of [
      [[2, 6, 6, 3], 2, 2, 'valid'],
      [[1, 7, 5, 4], 3, 2, 'same'],
      [[3, 5, 5, 1], 3, 1, 'valid'],
      [[2, 4, 4, 2], [2, 3], [1, 2], 'same'],
      [[1, 1, 1, 5], 2, 2, 'same'],
      // Channels in fours: the SIMD module (and the TypeScript loop where it is off, below).
      [[2, 6, 6, 8], 2, 2, 'valid'],
      [[1, 7, 5, 4], 3, 2, 'same'],
      [[2, 5, 5, 8], [2, 3], [1, 2], 'same'],
      // Windows that tile the input (each element written once), and a 2 x 2 pool on odd sizes, which does not.
      [[1, 6, 9, 4], [2, 3], [2, 3], 'valid'],
      [[2, 4, 4, 12], 2, 2, 'same'],
      [[1, 5, 5, 4], 2, 2, 'valid'],
    ] as [[number, number, number, number], number | [number, number], number | [number, number], 'valid' | 'same'][]) {
      // Small integers: windows with tied maxima; a NaN, which no maximum takes.
      const x = integers(shape).map((v, i) => (i === 3 ? NaN : v));
      const pooled = tf.tidy(() => tf.maxPool(tf.zeros(shape) as tf.Tensor4D, size, stride, pad).shape);
      // Drawn once, so both backends weigh the same outputs the same.
      const outputWeights = integers(pooled);
      const gradient = () => {
        const input = tf.tensor4d(x, shape);
        const weights = tf.tensor(outputWeights, pooled, 'float32');
        return tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(v as tf.Tensor4D, size, stride, pad), weights)))(
          input,
        );
      };
      for (const result of [await onBoth(gradient), await withoutHeapSimd(() => onBoth(gradient))]) {
        expect([...result.wasm]).toEqual([...result.cpu]);
      }
    }
  });

  it("the gradient of max over axes (CBAM's pools) is the cpu backend's, ties shared as tfjs shares them", async () => {
    // Over [H, W] and over channels as CBAM takes them, a leading run, one that is not a run (tfjs' own gradient),
    // all axes; keepDims or not; a NaN, which is nobody's maximum but its own.
    // Three channels: the TypeScript loop; eight: the SIMD module (four lanes), and both again without SIMD.
    for (const [channels, simd] of [
      [3, true],
      [8, true],
      [8, false],
    ] as [number, boolean][]) {
      for (const [axes, keepDims] of [
        [[1, 2], true],
        [[3], true],
        [[0, 1], false],
        [[1, 3], false],
        [[0, 1, 2, 3], false],
      ] as [number[], boolean][]) {
        const shape: [number, number, number, number] = [2, 4, 4, channels];
        const x = integers(shape).map((v, i) => (i === 5 ? NaN : v / 2));
        const weights = tf.tidy(() => tf.max(tf.zeros(shape), axes, keepDims).shape);
        const w = integers(weights).map((v) => v + 3);
        const gradient = () =>
          tf.grad((input: tf.Tensor) => tf.sum(tf.mul(tf.max(input, axes, keepDims), tf.tensor(w, weights))))(
            tf.tensor4d(x, shape),
          );
        const { cpu, wasm } = simd ? await onBoth(gradient) : await withoutHeapSimd(() => onBoth(gradient));
        expect([...wasm]).toEqual([...cpu]);
      }
    }
  });

  it('Sum, Mean and Max over middle axes in SIMD (rows a multiple of 4 wide) give what tfjs gives, NaN too', async () => {
    for (const [shape, axes] of [
      [[3, 5, 8], [1]],
      [
        [2, 3, 4, 12],
        [1, 2],
      ],
      [[7, 4], [0]],
      [[2, 1, 4], [1]],
      // The innermost axes (CBAM's channel max and mean): rows of 4, 32 and 12 x 2.
      [[5, 4], [1]],
      [[2, 3, 32], [2]],
      [
        [3, 2, 12, 2],
        [2, 3],
      ],
    ] as [number[], number[]][]) {
      const values = Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) =>
        i === 9 ? NaN : random() * 2 - 1,
      );
      for (const op of ['sum', 'mean', 'max'] as const) {
        for (const simd of [true, false]) {
          const compute = () => tf[op](tf.tensor(values, shape), axes);
          const result = simd ? await onBoth(compute) : await withoutHeapSimd(() => onBoth(compute));
          const [wasm, cpu] = [[...result.wasm], [...result.cpu]];
          expect(wasm.map(Number.isNaN)).toEqual(cpu.map(Number.isNaN));
          const numbers = (list: number[]) => list.map((v) => (Number.isNaN(v) ? 0 : v));
          expectClose(numbers(wasm), numbers(cpu), 1e-5);
        }
      }
    }
  });
});
