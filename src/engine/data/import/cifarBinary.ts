import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ImageClassificationData } from '../datasetTypes';
import { DatasetFileError } from './datasetFileError';
import { MAX_IMAGE_BYTES } from './imageBudget';
import { progressTicker, type ImportControl } from './importProgress';
import { openRegularFile, readUserFile, statUserPath } from './userFile';

const SIDE = 32;
const PLANE = SIDE * SIDE;
/** One CIFAR-10 record: a label byte, then 1024 red, 1024 green and 1024 blue bytes, rows top to bottom. */
export const CIFAR_RECORD_BYTES = 1 + 3 * PLANE;
const CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
const RECORDS_PER_READ = 1000;

async function batchFiles(path: string): Promise<{ folder: string; files: string[] }> {
  if (!(await statUserPath(path)).isDirectory()) return { folder: dirname(path), files: [path] };
  const names = (await readdir(path)).filter((n) => /^(data_batch_\d+|test_batch)\.bin$/.test(n)).sort();
  if (names.length === 0) throw new DatasetFileError(path, null, 'no data_batch_*.bin or test_batch.bin here');
  return { folder: path, files: names.map((n) => join(path, n)) };
}

async function classNames(folder: string): Promise<string[]> {
  try {
    const meta = await readUserFile(join(folder, 'batches.meta.txt'), {
      maxBytes: 1 << 20,
      limitName: 'the size of a class list',
    });
    const names = new TextDecoder()
      .decode(meta)
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean);
    return names.length > 0 ? names : CIFAR10_CLASSES;
  } catch {
    return CIFAR10_CLASSES;
  }
}

/**
 * The CIFAR-10 binary format: every file's size is checked to be a whole number of records and the total against
 * the budget before the one uint8 array for all images is allocated; records are then read 1,000 at a time and
 * turned from planar RGB into the row-major HxWxC layout the models read.
 */
export async function importCifarBinary(path: string, control: ImportControl = {}): Promise<ImageClassificationData> {
  const { folder, files } = await batchFiles(path);
  const names = await classNames(folder);
  const sizes = await Promise.all(
    files.map(async (file) => {
      const info = await statUserPath(file);
      if (!info.isFile()) throw new DatasetFileError(file, null, 'is a folder, not a CIFAR batch file');
      return info.size;
    }),
  );
  sizes.forEach((size, i) => {
    if (size === 0) throw new DatasetFileError(files[i]!, null, 'the file is empty');
    if (size % CIFAR_RECORD_BYTES !== 0) {
      throw new DatasetFileError(
        files[i]!,
        `record ${Math.floor(size / CIFAR_RECORD_BYTES) + 1}`,
        `${size} bytes is not a whole number of ${CIFAR_RECORD_BYTES}-byte records (the file is truncated or not CIFAR-10)`,
      );
    }
  });
  const total = sizes.reduce((sum, size) => sum + size / CIFAR_RECORD_BYTES, 0);
  if (total * 3 * PLANE > MAX_IMAGE_BYTES)
    throw new DatasetFileError(folder, null, `${total} images are more than the ${MAX_IMAGE_BYTES}-byte import budget`);
  const pixels = new Uint8Array(total * 3 * PLANE);
  const labels = new Int32Array(total);
  const fileSplit = new Uint8Array(total);
  const tick = progressTicker(control, 'reading CIFAR records', total);
  const buffer = new Uint8Array(RECORDS_PER_READ * CIFAR_RECORD_BYTES);
  let image = 0;
  for (const [f, file] of files.entries()) {
    const isTest = basename(file).startsWith('test');
    const { handle } = await openRegularFile(file);
    try {
      for (let record = 0; record < sizes[f]! / CIFAR_RECORD_BYTES; record += RECORDS_PER_READ) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, record * CIFAR_RECORD_BYTES);
        for (let r = 0; r < bytesRead / CIFAR_RECORD_BYTES; r++, image++) {
          const at = r * CIFAR_RECORD_BYTES;
          const label = buffer[at]!;
          if (label >= names.length)
            throw new DatasetFileError(
              file,
              `record ${record + r + 1}`,
              `label ${label} but there are ${names.length} classes`,
            );
          labels[image] = label;
          fileSplit[image] = isTest ? 1 : 0;
          const out = image * 3 * PLANE;
          for (let p = 0; p < PLANE; p++) {
            pixels[out + 3 * p] = buffer[at + 1 + p]!;
            pixels[out + 3 * p + 1] = buffer[at + 1 + PLANE + p]!;
            pixels[out + 3 * p + 2] = buffer[at + 1 + 2 * PLANE + p]!;
          }
        }
        await tick(image);
      }
    } finally {
      await handle.close();
    }
  }
  const hasBoth = fileSplit.includes(1) && fileSplit.includes(0);
  return {
    kind: 'image-classification',
    classNames: names,
    height: SIDE,
    width: SIDE,
    channels: 3,
    pixels,
    labels,
    ...(hasBoth ? { fileSplit } : {}),
  };
}
