import type { ImageClassificationData } from '../datasetTypes';
import { seededRandom } from '../split/seededRandom';

/** 5 x 5 glyphs: the class is which one appears, once, somewhere in the image. */
const GLYPHS: Record<string, string[]> = {
  cross: ['..#..', '..#..', '#####', '..#..', '..#..'],
  ring: ['.###.', '#...#', '#...#', '#...#', '.###.'],
  triangle: ['..#..', '.#.#.', '.#.#.', '#...#', '#####'],
  square: ['#####', '#...#', '#...#', '#...#', '#####'],
};

/**
 * A synthetic image set where the class is decided by one small object among distractors, so spatial attention
 * has a right answer: a 5 x 5 glyph (cross, ring, triangle or square) in a random colour at a random place, on a
 * noisy background with 6-10 random short strokes that share its colours. Generated with a fixed seed.
 */
export function generateObjectInClutter(count = 3000, seed = 11, size = 32): ImageClassificationData {
  const random = seededRandom(seed);
  const classNames = Object.keys(GLYPHS);
  const channels = 3;
  const pixels = new Uint8Array(count * size * size * channels);
  const labels = new Int32Array(count);
  const int = (n: number) => Math.floor(random() * n);
  const colour = () => [80 + int(176), 80 + int(176), 80 + int(176)];
  for (let i = 0; i < count; i++) {
    const base = i * size * size * channels;
    for (let p = 0; p < size * size * channels; p++) pixels[base + p] = int(48);
    const paint = (y: number, x: number, rgb: number[]) => {
      if (y < 0 || y >= size || x < 0 || x >= size) return;
      for (let c = 0; c < channels; c++) pixels[base + (y * size + x) * channels + c] = rgb[c]!;
    };
    // Distractors: strokes of 2-4 pixels, horizontal, vertical or diagonal.
    for (let d = 6 + int(5); d > 0; d--) {
      const [y, x, rgb, length] = [int(size), int(size), colour(), 2 + int(3)];
      const [dy, dx] = [
        [0, 1],
        [1, 0],
        [1, 1],
        [1, -1],
      ][int(4)]!;
      for (let k = 0; k < length; k++) paint(y + k * dy!, x + k * dx!, rgb);
    }
    const label = i % classNames.length;
    const glyph = GLYPHS[classNames[label]!]!;
    const [top, left, rgb] = [int(size - 5), int(size - 5), colour()];
    glyph.forEach((row, y) => [...row].forEach((cell, x) => cell === '#' && paint(top + y, left + x, rgb)));
    labels[i] = label;
  }
  return { kind: 'image-classification', classNames, height: size, width: size, channels, pixels, labels };
}
