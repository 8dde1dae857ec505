import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { broadcastRun } from '../src/elementwise/broadcastArithmetic';
import { BROADCAST_KERNELS } from '../src/elementwise/broadcastArithmeticWat';
import { heapSimd } from '../src/heap/heapSimd';
import { seededRandom, useBackend } from './support/backends';

const random = seededRandom(71);
const int = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
const values = (shape: number[]) =>
  Array.from({ length: tf.util.sizeFromShape(shape) }, () => (random() < 0.02 ? NaN : random() * 4 - 2));

const OPS = { add: tf.add, sub: tf.sub, mul: tf.mul } as const;

describe('broadcast Add, Sub and Multiply on the wasm heap', () => {
  beforeAll(async () => {
    expect((await useBackend('wasm')).name).toBe('wasm');
    expect(heapSimd()).not.toBeNull();
  });
  afterEach(() => vi.restoreAllMocks());

  it('reads a full operand as [outer, middle, inner] around one run of broadcast axes', () => {
    expect(broadcastRun([32, 32, 32, 32], [32])).toEqual([1, 32768, 32]);
    expect(broadcastRun([32, 16, 16, 64], [32, 1, 1, 64])).toEqual([32, 256, 64]);
    expect(broadcastRun([32, 16, 16, 64], [32, 16, 16, 1])).toEqual([8192, 64, 1]);
    expect(broadcastRun([32, 4, 64, 64], [32, 1, 1, 64])).toEqual([32, 256, 64]);
    expect(broadcastRun([2, 1, 5, 8], [2, 1, 1, 8])).toEqual([2, 5, 8]);
    expect(broadcastRun([6, 8], [])).toEqual([1, 48, 1]);
    expect(broadcastRun([4, 5, 6], [1, 6])).toEqual([1, 20, 6]);
    expect(broadcastRun([4, 5, 6], [4, 5, 6])).toBeNull();
    expect(broadcastRun([4, 5, 6], [1, 5, 1])).toBeNull(); // broadcast, same, broadcast
    expect(broadcastRun([4, 5, 6], [3, 5, 6])).toBeNull();
  });

  for (const [name, op] of Object.entries(OPS)) {
    it(`${name} matches the cpu backend on 60 random broadcasts, either operand broadcast, NaN kept`, async () => {
      const spies = BROADCAST_KERNELS.map((fn) => vi.spyOn(heapSimd()!, fn));
      for (let trial = 0; trial < 60; trial++) {
        const rank = int(1, 4);
        const full = Array.from({ length: rank }, () => int(1, 3) * (random() < 0.5 ? 4 : 1));
        // One run of broadcast axes, or a scalar.
        const [from, to] = [int(0, rank - 1), int(0, rank - 1)].sort((x, y) => x - y) as [number, number];
        const small = trial % 7 === 0 ? [] : full.map((d, axis) => (axis >= from! && axis <= to! ? 1 : d));
        const [first, second] = trial % 2 === 0 ? [full, small] : [small, full];
        const [x, y] = [values(first), values(second)];
        await tf.setBackend('cpu');
        const expected = await op(tf.tensor(x, first), tf.tensor(y, second)).data();
        await tf.setBackend('wasm');
        const before = tf.memory().numTensors;
        const [a, b] = [tf.tensor(x, first), tf.tensor(y, second)];
        const result = op(a, b);
        const got = await result.data();
        tf.dispose([a, b, result]);
        expect(tf.memory().numTensors).toBe(before);
        expect(got.length).toBe(expected.length);
        for (let i = 0; i < expected.length; i++) {
          if (Number.isNaN(expected[i]!)) expect(got[i]).toBeNaN();
          else expect(got[i]).toBe(expected[i]);
        }
      }
      // Rows in fours are common among these shapes: the module served a good share of them.
      expect(spies.reduce((sum, spy) => sum + spy.mock.calls.length, 0)).toBeGreaterThan(10);
    });
  }

  it('takes the SIMD path for a channel gate, a bias, a spatial gate and a scalar', () => {
    const spies = (['rowsMul', 'rowsAdd', 'splatMul', 'splatSub', 'splatSubFrom'] as const).map((name) =>
      vi.spyOn(heapSimd()!, name),
    );
    tf.tidy(() => {
      const x = tf.ones([2, 4, 4, 8]);
      tf.mul(x, tf.ones([2, 1, 1, 8])); // rowsMul
      tf.add(x, tf.ones([8])); // rowsAdd
      tf.mul(x, tf.ones([2, 4, 4, 1])); // splatMul
      tf.sub(x, tf.scalar(1)); // splatSub
      tf.sub(tf.scalar(1), x); // splatSubFrom
    });
    for (const spy of spies) expect(spy).toHaveBeenCalledTimes(1);
  });
});
