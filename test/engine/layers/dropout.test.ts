import * as tf from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { selectBackend } from '../../../src/engine/backend';
import { Dropout, dropout } from '../../../src/engine/layers/dropout';
import { seedDropout, unseedDropout } from '../../../src/engine/layers/dropoutSeeds';
import { heapSimd } from '@attention-workbench/wasm-kernels';

describe('dropout with the mask drawn on the wasm heap', () => {
  beforeAll(async () => {
    expect((await selectBackend('wasm')).name).toBe('wasm');
    expect(heapSimd()).not.toBeNull();
  });
  afterEach(() => vi.restoreAllMocks());

  it("draws a run's masks from its seed and step: the same key the same masks, call by call; another key others", () => {
    // 1,001 columns: the SIMD lanes and the JavaScript tail both take part.
    const x = tf.ones([7, 1001]);
    const draw = (seed: number, step: number) => {
      seedDropout(seed, step);
      try {
        return [0, 1].map(() => tf.tidy(() => Array.from(dropout(x, 0.5).dataSync())));
      } finally {
        unseedDropout();
      }
    };
    const [first, second] = draw(42, 3);
    expect(draw(42, 3)).toEqual([first, second]);
    // The step's second call draws another mask, and so do another step and another seed.
    expect(second).not.toEqual(first);
    expect(draw(42, 4)[0]).not.toEqual(first);
    expect(draw(43, 3)[0]).not.toEqual(first);
    // Outside a run, Math.random: two masks differ.
    expect(Array.from(tf.tidy(() => dropout(x, 0.5).dataSync()))).not.toEqual(first);
    x.dispose();
  });

  it('keeps each element with probability 1 - rate, scaled by 1 / (1 - rate), independently', async () => {
    const [rows, columns, rate] = [64, 1001, 0.3];
    const mask = vi.spyOn(heapSimd()!, 'dropoutMask');
    const ones = tf.ones([rows, columns]);
    const before = tf.memory().numTensors;
    const y = dropout(ones, rate);
    expect(mask).toHaveBeenCalledTimes(1);
    expect(tf.memory().numTensors).toBe(before + 1); // the result only: the mask is freed
    const values = await y.data();
    y.dispose();
    expect(new Set(values)).toEqual(new Set([0, Math.fround(1 / (1 - rate))]));
    const kept = values.map((v) => (v > 0 ? 1 : 0));
    const share = (from: number, step: number) => {
      let [count, total] = [0, 0];
      for (let i = from; i < kept.length; i += step) [count, total] = [count + kept[i]!, total + 1];
      return count / total;
    };
    // 64,064 draws: the share kept within 5 standard deviations (0.0018) of 0.7, in each of the four lanes too.
    expect(Math.abs(share(0, 1) - 0.7)).toBeLessThan(0.01);
    for (let lane = 0; lane < 4; lane++) expect(Math.abs(share(lane, 4) - 0.7)).toBeLessThan(0.02);
    // Neighbours (the next lane, the same lane's next draw) are independent: P(both kept) ~ 0.49.
    for (const gap of [1, 4]) {
      let both = 0;
      for (let i = 0; i + gap < kept.length; i++) both += kept[i]! & kept[i + gap]!;
      expect(Math.abs(both / (kept.length - gap) - 0.49)).toBeLessThan(0.01);
    }
    // A second call draws another mask.
    const again = dropout(ones, rate);
    const second = await again.data();
    tf.dispose([again, ones]);
    expect(second.some((v, i) => v !== values[i])).toBe(true);
  });

  it('its gradient is the same mask: d/dx sum(dropout(x) * w) = mask * w', async () => {
    const [n, rate] = [4099, 0.5];
    const w = tf.randomNormal([n]);
    const x = tf.ones([n]);
    const before = tf.memory().numTensors;
    const { value, grad } = tf.valueAndGrad((input: tf.Tensor) => tf.sum(tf.mul(dropout(input, rate), w)))(x);
    const [total, dx, weights] = [(await value.data())[0]!, await grad.data(), await w.data()];
    tf.dispose([value, grad]);
    expect(tf.memory().numTensors).toBe(before);
    // dx[i] = mask[i] * w[i]: each is 0 or 2 w[i], and together they add up to the loss (x = 1).
    let sum = 0;
    for (let i = 0; i < n; i++) {
      expect([0, Math.fround(2 * weights[i]!)]).toContain(dx[i]);
      sum += dx[i]!;
    }
    expect(sum).toBeCloseTo(total, 3);
    expect(dx.filter((v) => v === 0).length).toBeGreaterThan(n * 0.45);
    tf.dispose([w, x]);
  });

  it('the layer masks in training only, keeps tfjs-layers’ class name and config, and falls back off wasm', async () => {
    const layer = new Dropout({ rate: 0.25, name: 'drop' });
    const x = tf.ones([8, 16]);
    const mask = vi.spyOn(heapSimd()!, 'dropoutMask');
    const inference = layer.apply(x, { training: false }) as tf.Tensor;
    expect([...(await inference.data())].every((v) => v === 1)).toBe(true);
    expect(mask).not.toHaveBeenCalled();
    const training = layer.apply(x, { training: true }) as tf.Tensor;
    expect(mask).toHaveBeenCalledTimes(1);
    expect(new Set(await training.data())).toEqual(new Set([0, Math.fround(1 / 0.75)]));
    // Serialization: tfjs-layers' own name and config, and the registry builds this class from it.
    const stock = layers.dropout({ rate: 0.25, name: 'drop' });
    expect(Dropout.className).toBe('Dropout');
    expect(layer.getConfig()).toEqual(stock.getConfig());
    const [registered] = tf.serialization.SerializationMap.getMap().classNameMap['Dropout']!;
    expect(registered).toBe(Dropout);
    // On the cpu backend the mask kernel is not registered: tfjs' dropout runs.
    await tf.setBackend('cpu');
    const onCpu = dropout(tf.ones([8, 16]), 0.25);
    expect(new Set(await onCpu.data())).toEqual(new Set([0, Math.fround(1 / 0.75)]));
    expect(mask).toHaveBeenCalledTimes(1);
    onCpu.dispose();
    await tf.setBackend('wasm');
    tf.dispose([x, inference, training]);
  });
});
