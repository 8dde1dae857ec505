import * as tf from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/engine/backend';
import { seededRandom } from '../../../src/engine/data/split/seededRandom';
import { SameAveragePooling2D } from '../../../src/engine/layers/sameAveragePooling2d';

beforeAll(async () => {
  await selectBackend(process.env['WORKBENCH_BACKEND']);
});

const random = seededRandom(13);
const [B, H, W, C] = [2, 7, 6, 3];

/**
 * The mean of each window's real pixels and its gradient for L = sum(y * r), in float64 loops: a pixel receives
 * r / count from every window that holds it, count being that window's real pixels.
 */
function reference(x: number[], r: number[], k: number, s: number) {
  const pad = (size: number) => {
    const total = Math.max((Math.ceil(size / s) - 1) * s + k - size, 0);
    return Math.floor(total / 2);
  };
  const [top, left, OH, OW] = [pad(H), pad(W), Math.ceil(H / s), Math.ceil(W / s)];
  const y = new Array<number>(B * OH * OW * C).fill(0);
  const dx = new Array<number>(x.length).fill(0);
  for (let b = 0; b < B; b++)
    for (let oh = 0; oh < OH; oh++)
      for (let ow = 0; ow < OW; ow++)
        for (let c = 0; c < C; c++) {
          const cells: number[] = [];
          for (let i = 0; i < k; i++)
            for (let j = 0; j < k; j++) {
              const [h, w] = [oh * s - top + i, ow * s - left + j];
              if (h >= 0 && h < H && w >= 0 && w < W) cells.push(((b * H + h) * W + w) * C + c);
            }
          const out = ((b * OH + oh) * OW + ow) * C + c;
          y[out] = cells.reduce((sum, at) => sum + x[at]!, 0) / cells.length;
          for (const at of cells) dx[at]! += r[out]! / cells.length;
        }
  return { y, dx, shape: [B, OH, OW, C] };
}

describe('SameAveragePooling2D', () => {
  it.each([
    [3, 2],
    [2, 2],
    [3, 1],
  ])(
    'window %i stride %i: the mean of the real pixels, and its true gradient (tfjs’ own is too small at the borders)',
    async (k, s) => {
      const xs = Array.from({ length: B * H * W * C }, () => random() * 2 - 1);
      const expected = reference(xs, [], k, s);
      const rs = Array.from({ length: expected.y.length }, () => random() * 2 - 1);
      const { y: wantY, dx: wantDx } = reference(xs, rs, k, s);
      const layer = new SameAveragePooling2D({ poolSize: k, strides: s });
      const x = tf.tensor4d(xs, [B, H, W, C]);
      const r = tf.tensor(rs, expected.shape);
      const before = tf.memory().numTensors;
      const y = layer.apply(x) as tf.Tensor;
      expect(y.shape).toEqual(expected.shape);
      expect(layer.computeOutputShape([B, H, W, C])).toEqual(expected.shape);
      const dx = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input) as tf.Tensor, r)))(x);
      const [gotY, gotDx] = [[...(await y.data())], [...(await dx.data())]];
      gotY.forEach((v, i) => expect(v).toBeCloseTo(wantY[i]!, 5));
      gotDx.forEach((v, i) => expect(v).toBeCloseTo(wantDx[i]!, 5));
      // The forward pass is tfjs' 'same' average pooling's.
      const tfjs = layers.averagePooling2d({ poolSize: k, strides: s, padding: 'same' }).apply(x) as tf.Tensor;
      const tfjsY = [...(await tfjs.data())];
      gotY.forEach((v, i) => expect(v).toBeCloseTo(tfjsY[i]!, 5));
      tf.dispose([y, dx, tfjs]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, r]);
    },
  );

  it('round-trips its config', () => {
    const layer = new SameAveragePooling2D({ poolSize: 3, strides: 2, name: 'pool' });
    const copy = SameAveragePooling2D.fromConfig(SameAveragePooling2D, layer.getConfig()) as SameAveragePooling2D;
    expect([copy.poolSize, copy.strides, copy.name]).toEqual([3, 2, 'pool']);
  });
});
