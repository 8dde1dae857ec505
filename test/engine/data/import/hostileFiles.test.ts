import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { importDataset } from '../../../../src/engine/data/import/importDataset';
import { readRegularFileSync, readUserFile } from '../../../../src/engine/data/import/userFile';
import { splitDataset } from '../../../../src/engine/data/split/datasetSplit';
import { importOptionsSchema } from '../../../../src/shared/datasetImport';
import { idxBytes, pngBytes } from '../../../support/datasetFixtures';

/**
 * Files a careless user or a hostile one can hand the importer. Each once hung the app, grew its memory without
 * bound, or crashed it with a message that named nothing; each must now be refused promptly, by name.
 */

let root: string;
const options = (format: string) => importOptionsSchema.parse({ format });
const fifo = (path: string) => execFileSync('mkfifo', [path]);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'hostile-import-'));
});

describe('special files', () => {
  it('refuses a FIFO, a device and a symlink to a device as a dataset file, naming the file', async () => {
    fifo(join(root, 'pipe.csv'));
    await symlink('/dev/zero', join(root, 'zero.csv'));
    await expect(importDataset(join(root, 'pipe.csv'), options('csv'))).rejects.toThrow(
      /pipe\.csv: is a named pipe \(FIFO\), not a regular file/,
    );
    await expect(importDataset('/dev/zero', options('csv'))).rejects.toThrow(/zero: is a device, not a regular file/);
    await expect(importDataset('/dev/zero', options('mnist-idx'))).rejects.toThrow(/zero: is a device/);
    await expect(importDataset(join(root, 'zero.csv'), options('auto'))).rejects.toThrow(/zero\.csv: is a device/);
    await expect(importDataset(join(root, 'pipe.csv'), options('auto'))).rejects.toThrow(/pipe\.csv: is a named pipe/);
  });

  it('skips a FIFO or a /dev/zero symlink posing as an image in a class folder, and reads the rest', async () => {
    const folder = join(root, 'images');
    for (const label of ['cat', 'dog']) {
      await mkdir(join(folder, label), { recursive: true });
      for (let i = 0; i < 2; i++)
        await writeFile(
          join(folder, label, `${i}.png`),
          pngBytes(4, 4, () => [i * 40, 0, 0]),
        );
    }
    await symlink('/dev/zero', join(folder, 'cat', 'zero.png'));
    fifo(join(folder, 'dog', 'pipe.png'));
    const { data, notes } = await importDataset(
      folder,
      options('image-folder'),
      {},
      {
        folder: await mkdtemp(join(root, 'image-shards-')),
      },
    );
    expect(data.kind === 'image-classification' && data.labels.length).toBe(4);
    expect(notes[0]).toMatch(/2 files could not be decoded/);
    expect(notes[0]).toMatch(/cat\/zero\.png \(zero\.png: is a device/);
    expect(notes[0]).toMatch(/dog\/pipe\.png \(pipe\.png: is a named pipe/);
  });

  it('leaves file reads of the process free while four FIFO imports are pending', async () => {
    const pipes = await Promise.all(
      [0, 1, 2, 3].map(async (i) => {
        const path = join(root, `blocking-${i}.jsonl`);
        fifo(path);
        return importDataset(path, options('jsonl')).catch((error: Error) => error.message);
      }),
    );
    expect(pipes.every((message) => /named pipe/.test(String(message)))).toBe(true);
    // The thread pool has four threads: had the FIFOs been opened, this read would never return.
    const ordinary = join(root, 'ordinary.txt');
    await writeFile(ordinary, 'still readable');
    expect(await readFile(ordinary, 'utf8')).toBe('still readable');
  });
});

describe('sizes that lie', () => {
  it('stops inflating a gzip bomb just past the size its IDX header declares', async () => {
    // A header for 10 images of 28x28, then 256 MB of zeros: 256 KB compressed.
    const folder = join(root, 'bomb');
    await mkdir(folder);
    const header = idxBytes([10, 28, 28], new Uint8Array(0));
    const bomb = gzipSync(Buffer.concat([header, Buffer.alloc(256 * 1024 * 1024)]), { level: 9 });
    await writeFile(join(folder, 'train-images-idx3-ubyte.gz'), bomb);
    await writeFile(join(folder, 'train-labels-idx1-ubyte.gz'), gzipSync(idxBytes([10], new Uint8Array(10))));
    const before = process.memoryUsage().arrayBuffers;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)), 1);
    await expect(importDataset(folder, options('mnist-idx'))).rejects.toThrow(
      /train-images-idx3-ubyte\.gz: holds more than 7856 bytes, the size its header declares/,
    );
    clearInterval(sampler);
    // Inflated in full it would be 256 MB; streaming stops within a few of zlib's 16 KB pieces.
    expect(peak - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('refuses IDX files that declare no images, 0x0 images or no labels', async () => {
    for (const [dims, message] of [
      [[0, 28, 28], /declares 0 images of 28x28 pixels: there is nothing to import/],
      [[5, 0, 0], /declares 5 images of 0x0 pixels: there is nothing to import/],
    ] as const) {
      const folder = join(root, `empty-${dims.join('x')}`);
      await mkdir(folder);
      await writeFile(
        join(folder, 'train-images-idx3-ubyte'),
        idxBytes([...dims], new Uint8Array(dims[0] * dims[1] * dims[2])),
      );
      await writeFile(join(folder, 'train-labels-idx1-ubyte'), idxBytes([dims[0]], new Uint8Array(dims[0])));
      await expect(importDataset(folder, options('mnist-idx'))).rejects.toThrow(message);
    }
  });

  it('caps a file that is longer than it said when opened (read, not stat, decides)', async () => {
    const file = join(root, 'grows.csv');
    await writeFile(file, 'a'.repeat(5000));
    await expect(readUserFile(file, { maxBytes: 4096, limitName: 'the test limit' })).rejects.toThrow(
      /grows\.csv: 5000 bytes is more than 4096, the test limit/,
    );
    await expect(readUserFile('/proc/self/status', { maxBytes: 16, limitName: 'the test limit' })).rejects.toThrow(
      /status: holds more than 16 bytes, the test limit/,
    );
    // The decode processes' synchronous read keeps the same limits and says the same.
    expect(() => readRegularFileSync(file, { maxBytes: 4096, limitName: 'the test limit' })).toThrow(
      /grows\.csv: 5000 bytes is more than 4096, the test limit/,
    );
    expect(() => readRegularFileSync('/proc/self/status', { maxBytes: 16, limitName: 'the test limit' })).toThrow(
      /status: holds more than 16 bytes, the test limit/,
    );
  });

  it('reads a file synchronously into the buffer it is given when it fits, into a new one when not', async () => {
    const file = join(root, 'bytes.bin');
    const contents = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7) % 256);
    await writeFile(file, contents);
    const limits = { maxBytes: 1 << 20, limitName: 'the test limit' };
    const roomy = new Uint8Array(4096).fill(9);
    const inRoomy = readRegularFileSync(file, limits, roomy);
    expect(inRoomy.buffer).toBe(roomy.buffer);
    expect(inRoomy).toEqual(contents);
    const small = new Uint8Array(100);
    const inNew = readRegularFileSync(file, limits, small);
    expect(inNew.buffer).not.toBe(small.buffer);
    expect(inNew).toEqual(contents);
    // /proc files say they are empty and are not: read on past the stated size, into a grown buffer.
    expect(new TextDecoder().decode(readRegularFileSync('/proc/self/status', limits, small))).toMatch(/^Name:/);
    fifo(join(root, 'sync-pipe.png'));
    expect(() => readRegularFileSync(join(root, 'sync-pipe.png'), limits)).toThrow(
      /sync-pipe\.png: is a named pipe \(FIFO\), not a regular file/,
    );
    expect(() => readRegularFileSync(join(root, 'missing.png'), limits)).toThrow(/missing\.png: no such file/);
  });

  it('stops reading mid-file when cancelled', async () => {
    const file = join(root, 'large.csv');
    await writeFile(file, Buffer.alloc(64 * 1024 * 1024, 0x61));
    const controller = new AbortController();
    setImmediate(() => controller.abort());
    await expect(readUserFile(file, { maxBytes: 1 << 30, limitName: 'x', signal: controller.signal })).rejects.toThrow(
      /the import was cancelled/,
    );
  });
});

describe('records and counts too large for naive code', () => {
  it('refuses a 160 MB JSON Lines record by line instead of exhausting the heap', async () => {
    const big = join(root, 'huge-line.jsonl');
    const text = Buffer.alloc(160 * 1024 * 1024, 0x61);
    await writeFile(
      big,
      Buffer.concat([Buffer.from('{"text":"short","label":"a"}\n{"text":"'), text, Buffer.from('","label":"b"}\n')]),
    );
    await expect(importDataset(big, options('jsonl'))).rejects.toThrow(
      /huge-line\.jsonl, line 2: \d+ characters, more than the 1000000 one record may hold/,
    );
  });

  it('imports an IDX set of a million 1x1 images and splits it', async () => {
    const count = 1_000_000;
    const folder = join(root, 'million');
    await mkdir(folder);
    const labels = Uint8Array.from({ length: count }, (_, i) => i % 7);
    await writeFile(join(folder, 'train-images-idx3-ubyte'), idxBytes([count, 1, 1], labels));
    await writeFile(join(folder, 'train-labels-idx1-ubyte'), idxBytes([count], labels));
    const { data } = await importDataset(folder, options('mnist-idx'));
    expect(data.kind === 'image-classification' && data.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6']);
    const split = splitDataset(data, { validationFraction: 0.1, testFraction: 0.1, seed: 1 });
    expect(split.train.length + split.validation.length + split.test.length).toBe(count);
  });

  it('reads a CSV with a million columns', async () => {
    const file = join(root, 'wide.csv');
    const row = (label: string) =>
      [label, ...Array.from({ length: 999_999 }, (_, i) => (i === 0 ? `text number ${label}` : 'x'))].join(',');
    await writeFile(file, [row('a'), row('b'), row('a'), row('b')].join('\n'));
    const { data } = await importDataset(
      file,
      importOptionsSchema.parse({ format: 'csv', textColumn: '2', labelColumn: '1' }),
    );
    expect(data.kind === 'text-classification' && [...data.labels]).toEqual([0, 1, 0, 1]);
    // Left to guess, it picks the column with the fewest distinct values, and says why that cannot be trained.
    await expect(importDataset(file, options('csv'))).rejects.toThrow(
      /wide\.csv: the label column "column 3" holds a single class/,
    );
  });
});
