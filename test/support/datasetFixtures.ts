import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';

/** Writers of small datasets in each import format, so that tests and benchmarks need no downloaded file. */

export function idxBytes(dims: number[], values: Uint8Array): Uint8Array {
  const header = new Uint8Array(4 + 4 * dims.length);
  const view = new DataView(header.buffer);
  header.set([0, 0, 0x08, dims.length]);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  return Buffer.concat([header, values]);
}

/** A digit-like image: a bright bar whose column is the label, so that a model can learn it. */
export function barImage(label: number, side: number, noise: number): Uint8Array {
  const pixels = new Uint8Array(side * side);
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++)
      pixels[y * side + x] = Math.floor(x / (side / 4)) === label ? 230 : (x * 31 + y * 17 + noise) % 40;
  return pixels;
}

export async function writeMnistFolder(folder: string, train: number, test: number, gzip = false): Promise<void> {
  await mkdir(folder, { recursive: true });
  const side = 28;
  for (const [prefix, count] of [
    ['train', train],
    ['t10k', test],
  ] as const) {
    const labels = Uint8Array.from({ length: count }, (_, i) => i % 4);
    const images = new Uint8Array(count * side * side);
    labels.forEach((label, i) => images.set(barImage(label, side, i), i * side * side));
    const pack = (bytes: Uint8Array) => (gzip ? gzipSync(bytes) : bytes);
    const suffix = gzip ? '.gz' : '';
    await writeFile(join(folder, `${prefix}-images-idx3-ubyte${suffix}`), pack(idxBytes([count, side, side], images)));
    await writeFile(join(folder, `${prefix}-labels-idx1-ubyte${suffix}`), pack(idxBytes([count], labels)));
  }
}

/** CIFAR-10 records: label byte, then the red, green and blue planes; the class decides which plane is bright. */
export function cifarRecords(count: number, offset = 0): Uint8Array {
  const records = new Uint8Array(count * 3073);
  for (let i = 0; i < count; i++) {
    const label = (i + offset) % 10;
    const at = i * 3073;
    records[at] = label;
    for (let p = 0; p < 3072; p++)
      records[at + 1 + p] = Math.floor(p / 1024) === label % 3 ? 200 + (label % 5) * 10 : (p * 7 + i) % 50;
  }
  return records;
}

export async function writeCifarFolder(folder: string, perBatch: number, batches: number, test: number): Promise<void> {
  await mkdir(folder, { recursive: true });
  for (let b = 1; b <= batches; b++)
    await writeFile(join(folder, `data_batch_${b}.bin`), cifarRecords(perBatch, b * perBatch));
  await writeFile(join(folder, 'test_batch.bin'), cifarRecords(test));
  await writeFile(
    join(folder, 'batches.meta.txt'),
    'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n',
  );
}

export function pngBytes(
  width: number,
  height: number,
  rgb: (x: number, y: number) => [number, number, number],
): Uint8Array {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = rgb(x, y);
      png.data.set([r, g, b, 255], (y * width + x) * 4);
    }
  }
  return PNG.sync.write(png);
}

export function jpegBytes(
  width: number,
  height: number,
  rgb: (x: number, y: number) => [number, number, number],
): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set([...rgb(x, y), 255], (y * width + x) * 4);
  return jpeg.encode({ data, width, height }, 90).data;
}

/** Class folders "red" and "blue" of PNG and JPEG images of different sizes, plus one file that is not an image. */
export async function writeImageFolder(folder: string, perClass: number): Promise<void> {
  for (const [name, colour] of [
    ['red', [220, 30, 30]],
    ['blue', [30, 30, 220]],
  ] as const) {
    await mkdir(join(folder, name), { recursive: true });
    for (let i = 0; i < perClass; i++) {
      const size = 20 + (i % 3) * 10;
      const draw = (x: number, y: number): [number, number, number] =>
        (x + y + i) % 7 === 0 ? [128, 128, 128] : [...colour];
      await writeFile(
        join(folder, name, `${i}.${i % 2 ? 'jpg' : 'png'}`),
        i % 2 ? jpegBytes(size, size, draw) : pngBytes(size, size, draw),
      );
    }
  }
  await writeFile(join(folder, 'red', 'broken.png'), Buffer.from('not a png at all'));
}
