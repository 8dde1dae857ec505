import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/engine/backend';
import { generateObjectInClutter } from '../../../src/engine/data/builtin/objectInClutter';
import { prepareDataset } from '../../../src/engine/data/prepareDataset';
import { shiftImage } from '../../../src/engine/data/tensors/imageClassificationTensors';
import { findPreset } from '../../../src/shared/architecture/presets';

beforeAll(async () => {
  await selectBackend('cpu');
});

const split = { validationFraction: 0.2, testFraction: 0.2, seed: 5 };

describe('random image shifts', () => {
  it.each([
    [0, 0],
    [2, -1],
    [-3, 4],
    [5, 5],
    [-5, 0],
  ])('shifts by (%i, %i) as out[y][x] = in[y - dy][x - dx], zero outside', (dy, dx) => {
    const [height, width, channels] = [5, 6, 2];
    const pixels = Uint8Array.from({ length: height * width * channels }, (_, i) => (i * 37) % 256);
    const out = new Float32Array(pixels.length).fill(-1);
    shiftImage(pixels, out, { height, width, channels }, dy, dx);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++)
        for (let c = 0; c < channels; c++) {
          const [sy, sx] = [y - dy, x - dx];
          const inside = sy >= 0 && sy < height && sx >= 0 && sx < width;
          const want = inside ? pixels[(sy * width + sx) * channels + c]! / 255 : 0;
          expect(out[(y * width + x) * channels + c]).toBe(Math.fround(want));
        }
  });

  it('moves training images by at most the shift, the same for the same seed, and not at all without a shift', async () => {
    const data = prepareDataset(generateObjectInClutter(40), findPreset('vit-image')!.spec, split);
    const rows = Array.from({ length: 8 }, (_, i) => i);
    const read = async (augment?: { shift: number; seed: number }) => {
      const batch = data.batch('train', rows, augment);
      const values = (await batch.inputs[0]!.data()) as Float32Array;
      tf.dispose([...batch.inputs, batch.targets]);
      return values;
    };
    const plain = await read();
    const once = await read({ shift: 3, seed: 11 });
    expect(await read({ shift: 3, seed: 11 })).toEqual(once);
    expect(await read({ shift: 3, seed: 12 })).not.toEqual(once);
    expect(await read({ shift: 0, seed: 11 })).toEqual(plain);
    // Each image is its unshifted self moved by some (dy, dx) within ±3.
    const side = 32 * 32 * 3;
    let moved = 0;
    for (let i = 0; i < rows.length; i++) {
      const [original, shifted] = [plain.subarray(i * side, (i + 1) * side), once.subarray(i * side, (i + 1) * side)];
      const bytes = Uint8Array.from(original, (v) => Math.round(v * 255));
      const matches: [number, number][] = [];
      for (let dy = -3; dy <= 3; dy++)
        for (let dx = -3; dx <= 3; dx++) {
          const candidate = new Float32Array(side);
          shiftImage(bytes, candidate, { height: 32, width: 32, channels: 3 }, dy, dx);
          if (candidate.every((v, p) => v === shifted[p])) matches.push([dy, dx]);
        }
      expect(matches.length).toBeGreaterThan(0);
      if (!matches.some(([dy, dx]) => dy === 0 && dx === 0)) moved++;
    }
    expect(moved).toBeGreaterThan(4);
  });
});
