import { deflateSync } from 'node:zlib';
import CRC32 from 'crc-32';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importCifarBinary } from '../../../../src/engine/data/import/cifarBinary';
import { importDataset } from '../../../../src/engine/data/import/importDataset';
import { importMnistIdx, parseIdx, readIdxFile } from '../../../../src/engine/data/import/mnistIdx';
import { importOptionsSchema } from '../../../../src/shared/datasetImport';
import {
  barImage,
  cifarRecords,
  idxBytes,
  writeCifarFolder,
  writeImageFolder,
  writeMnistFolder,
} from '../../../support/datasetFixtures';
import { importFolderPixels } from '../../../support/imageFolderImport';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'image-import-'));
});
const options = (format: string) => importOptionsSchema.parse({ format });

describe('MNIST IDX', () => {
  it("reads images, labels and the files' train/test split, gzipped or not", async () => {
    for (const gzip of [false, true]) {
      const folder = join(root, `mnist-${gzip}`);
      await writeMnistFolder(folder, 12, 5, gzip);
      const data = await importMnistIdx(folder);
      expect([data.height, data.width, data.channels, data.labels.length]).toEqual([28, 28, 1, 17]);
      expect([...data.fileSplit!].filter((s) => s === 1).length).toBe(5);
      // t10k sorts before train: image 0 is the first test image, label 0's bar, byte for byte.
      expect(data.fileSplit![0]).toBe(1);
      expect(data.pixels.subarray(0, 784)).toEqual(barImage(0, 28, 0));
      expect(data.pixels.subarray(5 * 784, 6 * 784)).toEqual(barImage(0, 28, 0)); // the first training image
      expect(data.classNames).toEqual(['0', '1', '2', '3']);
    }
  });

  it('refuses a wrong magic number, a wrong dimension count, truncation and enormous dimensions, naming the file', () => {
    const good = idxBytes([2, 2, 2], new Uint8Array(8));
    expect(() => parseIdx('x-images-idx3-ubyte', Uint8Array.from([1, 2, 8, 3, ...good.subarray(4)]), 3)).toThrow(
      /x-images-idx3-ubyte, header: wrong magic number/,
    );
    expect(() => parseIdx('a', good, 1)).toThrow(/a, header: 3 dimensions where labels need 1/);
    expect(() => parseIdx('a', good.subarray(0, good.length - 3), 3)).toThrow(
      /a: declares 2 x 2 x 2 = 8 values but holds 5 \(truncated\)/,
    );
    // 100,000 x 100,000 x 100,000 bytes is refused from the header alone: nothing that size is allocated.
    expect(() => parseIdx('huge', idxBytes([100_000, 100_000, 100_000], new Uint8Array(0)), 3)).toThrow(
      /huge, header: declares .* more than the .*-byte import budget/,
    );
    expect(() => parseIdx('empty', new Uint8Array(0), 3)).toThrow(/empty: the file is empty/);
  });

  it('refuses a file that is gzip by its magic bytes but does not inflate', async () => {
    const file = join(root, 'bad-images-idx3-ubyte.gz');
    await writeFile(file, Uint8Array.from([0x1f, 0x8b, 1, 2, 3]));
    await expect(readIdxFile(file, 3)).rejects.toThrow(/bad-images-idx3-ubyte.gz: not a readable gzip file/);
  });

  it('refuses images and labels that do not agree in number', async () => {
    const folder = join(root, 'mnist-mismatch');
    await writeMnistFolder(folder, 6, 2);
    await writeFile(join(folder, 'train-labels-idx1-ubyte'), idxBytes([5], new Uint8Array(5)));
    await expect(importMnistIdx(folder)).rejects.toThrow(
      /train-labels-idx1-ubyte: 5 labels for the 6 images of train-images-idx3-ubyte/,
    );
  });
});

describe('CIFAR-10 binary', () => {
  it('turns planar records into HxWxC pixels, with class names and the test batch as the test split', async () => {
    const folder = join(root, 'cifar');
    await writeCifarFolder(folder, 20, 2, 10);
    const progress: number[] = [];
    const data = await importCifarBinary(folder, { onProgress: ({ done }) => progress.push(done) });
    expect(data.labels.length).toBe(50);
    expect(data.classNames[9]).toBe('truck');
    expect(progress.at(-1)).toBe(50);
    const record = cifarRecords(20, 20).subarray(3 * 3073, 4 * 3073); // image 3 of data_batch_1
    expect(data.labels[3]).toBe(record[0]);
    // Pixel (row 1, column 2): red, green, blue from the three planes.
    const p = 1 * 32 + 2;
    expect([...data.pixels.subarray(3 * 3072 + p * 3, 3 * 3072 + p * 3 + 3)]).toEqual([
      record[1 + p],
      record[1 + 1024 + p],
      record[1 + 2048 + p],
    ]);
    expect([...data.fileSplit!].filter((s) => s === 1).length).toBe(10);
  });

  it('refuses a file whose size is not a whole number of records, naming the record', async () => {
    const folder = join(root, 'cifar-cut');
    await writeCifarFolder(folder, 4, 1, 2);
    const bytes = await readFile(join(folder, 'data_batch_1.bin'));
    await writeFile(join(folder, 'data_batch_1.bin'), bytes.subarray(0, bytes.length - 100));
    await expect(importCifarBinary(folder)).rejects.toThrow(
      /data_batch_1.bin, record 4: 12192 bytes is not a whole number of 3073-byte records/,
    );
  });

  it('refuses a label beyond the class list', async () => {
    const folder = join(root, 'cifar-label');
    await writeCifarFolder(folder, 3, 1, 1);
    const bytes = await readFile(join(folder, 'test_batch.bin'));
    bytes[0] = 42;
    await writeFile(join(folder, 'test_batch.bin'), bytes);
    await expect(importCifarBinary(folder)).rejects.toThrow(
      /test_batch.bin, record 1: label 42 but there are 10 classes/,
    );
  });

  it('stops when cancelled', async () => {
    const folder = join(root, 'cifar-cancel');
    await writeCifarFolder(folder, 3000, 1, 10);
    const controller = new AbortController();
    controller.abort();
    await expect(importCifarBinary(folder, { signal: controller.signal })).rejects.toThrow(/cancelled/);
  });
});

describe('image folders', () => {
  it('decodes PNG and JPEG of any size to one size, skipping and listing what does not decode', async () => {
    const folder = join(root, 'colours');
    await writeImageFolder(folder, 6);
    const data = await importFolderPixels(folder, { height: 16, width: 16, channels: 3 });
    expect(data.classNames).toEqual(['blue', 'red']);
    expect(data.labels.length).toBe(12);
    expect(data.decoder.name).toBe('sharp');
    expect(data.skipped).toEqual([
      { file: join('red', 'broken.png'), reason: 'Input buffer contains unsupported image format' },
    ]);
    // Each image's mean colour says its class: red images are red-dominant, blue ones blue-dominant.
    for (let i = 0; i < 12; i++) {
      let [r, b] = [0, 0];
      for (let p = 0; p < 256; p++) [r, b] = [r + data.pixels[i * 768 + p * 3]!, b + data.pixels[i * 768 + p * 3 + 2]!];
      expect(r > b ? 'red' : 'blue').toBe(data.classNames[data.labels[i]!]);
    }
    const grey = await importFolderPixels(folder, { height: 8, width: 8, channels: 1 });
    expect(grey.pixels.length).toBe(12 * 64);
  });

  it('refuses a PNG that declares an enormous size before decoding it, and lists it as skipped', async () => {
    const folder = join(root, 'huge-png');
    await writeImageFolder(folder, 2);
    // A valid PNG (every CRC right) declaring 65536 x 65536 RGB pixels, with 100 bytes of image data.
    const chunk = (type: string, data: Uint8Array) => {
      const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
      const framed = Buffer.alloc(body.length + 8);
      framed.writeUInt32BE(data.length, 0);
      body.copy(framed, 4);
      framed.writeUInt32BE(CRC32.buf(body) >>> 0, body.length + 4);
      return framed;
    };
    const header = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', Uint8Array.from([0, 1, 0, 0, 0, 1, 0, 0, 8, 2, 0, 0, 0])),
      chunk('IDAT', deflateSync(new Uint8Array(100))),
      chunk('IEND', new Uint8Array(0)),
    ]);
    await writeFile(join(folder, 'blue', 'huge.png'), header);
    const data = await importFolderPixels(folder);
    expect(data.skipped.map((s) => s.file)).toContain(join('blue', 'huge.png'));
    // libvips reads the declared size from the header and refuses it before decoding a pixel.
    expect(data.skipped.find((s) => s.file.endsWith('huge.png'))!.reason).toMatch(/exceeds pixel limit/);
  });

  it('detects each format from the path', async () => {
    await writeMnistFolder(join(root, 'detect-mnist'), 4, 4);
    await writeCifarFolder(join(root, 'detect-cifar'), 4, 1, 4);
    await writeImageFolder(join(root, 'detect-images'), 2);
    expect((await importDataset(join(root, 'detect-mnist'), options('auto'))).format).toBe('mnist-idx');
    expect((await importDataset(join(root, 'detect-cifar'), options('auto'))).format).toBe('cifar10-binary');
    const images = await importDataset(
      join(root, 'detect-images'),
      options('auto'),
      {},
      {
        folder: await mkdtemp(join(root, 'detect-shards-')),
      },
    );
    expect(images.format).toBe('image-folder');
    expect(images.notes[0]).toMatch(/1 files could not be decoded and were skipped: red.broken.png/);
    await expect(importDataset(join(root, 'nowhere'), options('auto'))).rejects.toThrow(
      /nowhere: no such file or folder/,
    );
  });
});
