import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ImageClassificationData } from '../datasetTypes';
import { DatasetFileError } from './datasetFileError';
import { MAX_IMAGE_BYTES } from './imageBudget';
import type { ImportControl } from './importProgress';
import { statUserPath, readUserFile } from './userFile';

/** A parsed IDX array (LeCun's MNIST format): unsigned bytes with their dimensions. */
export interface IdxArray {
  dims: number[];
  values: Uint8Array;
}

/** What an IDX header says: the dimensions, where the values start, and how many there must be. */
export interface IdxHeader {
  dims: number[];
  headerLength: number;
  declared: number;
}

/**
 * Checks an IDX header: magic 0x0000 0x08 (unsigned byte), then the dimension count, then each dimension as a
 * big-endian uint32. A dimension of zero (no images, 0x0 images) and a size over the budget are refused here,
 * before the values are read or allocated.
 */
export function readIdxHeader(file: string, bytes: Uint8Array, expectedDims: number): IdxHeader {
  if (bytes.length === 0) throw new DatasetFileError(file, null, 'the file is empty');
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DatasetFileError(file, 'header', 'wrong magic number: an IDX file starts with two zero bytes');
  }
  if (bytes[2] !== 0x08)
    throw new DatasetFileError(
      file,
      'header',
      `element type 0x${bytes[2]!.toString(16).padStart(2, '0')} is not unsigned byte (0x08)`,
    );
  const dimCount = bytes[3]!;
  if (dimCount !== expectedDims) {
    throw new DatasetFileError(
      file,
      'header',
      `${dimCount} dimensions where ${expectedDims === 3 ? 'images need 3 (count, rows, columns)' : 'labels need 1 (count)'}`,
    );
  }
  const headerLength = 4 + 4 * dimCount;
  if (bytes.length < headerLength) throw new DatasetFileError(file, 'header', 'truncated before the dimensions end');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: dimCount }, (_, i) => view.getUint32(4 + 4 * i));
  if (dims.includes(0)) {
    const what = expectedDims === 3 ? `${dims[0]} images of ${dims[1]}x${dims[2]} pixels` : 'no labels';
    throw new DatasetFileError(file, 'header', `declares ${what}: there is nothing to import`);
  }
  const declared = dims.reduce((product, d) => product * d, 1);
  if (declared > MAX_IMAGE_BYTES) {
    throw new DatasetFileError(
      file,
      'header',
      `declares ${dims.join(' x ')} = ${declared} values, more than the ${MAX_IMAGE_BYTES}-byte import budget`,
    );
  }
  return { dims, headerLength, declared };
}

/** Parses the bytes of an (inflated) IDX file: the header, then exactly the values it declares. */
export function parseIdx(file: string, bytes: Uint8Array, expectedDims: number): IdxArray {
  const { dims, headerLength, declared } = readIdxHeader(file, bytes, expectedDims);
  const present = bytes.length - headerLength;
  if (present !== declared) {
    throw new DatasetFileError(
      file,
      null,
      `declares ${dims.join(' x ')} = ${declared} values but holds ${present}${present < declared ? ' (truncated)' : ''}`,
    );
  }
  return { dims, values: bytes.subarray(headerLength) };
}

/**
 * Reads an IDX file, gzipped or not. gzip is inflated as a stream, and as soon as the header is in, the read is
 * capped at the size it declares: a 2 MB file that would inflate to gigabytes stops a few bytes past its header.
 */
export async function readIdxFile(file: string, expectedDims: number, signal?: AbortSignal): Promise<IdxArray> {
  const headerBytes = 4 + 4 * expectedDims;
  const bytes = await readUserFile(file, {
    maxBytes: MAX_IMAGE_BYTES + headerBytes,
    limitName: 'the import budget',
    gunzip: true,
    ...(signal ? { signal } : {}),
    head: {
      bytes: headerBytes,
      cap: (head) => {
        const header = readIdxHeader(file, head, expectedDims);
        return header.headerLength + header.declared;
      },
    },
  });
  return parseIdx(file, bytes, expectedDims);
}

/** Images [n, rows, cols] and labels [n] of one IDX pair, checked to agree. */
export function mnistFromIdx(
  imagesFile: string,
  images: IdxArray,
  labelsFile: string,
  labels: IdxArray,
): { pixels: Uint8Array; labels: Uint8Array; height: number; width: number } {
  const [count, height, width] = images.dims as [number, number, number];
  if (labels.dims[0] !== count) {
    throw new DatasetFileError(
      labelsFile,
      null,
      `${labels.dims[0]} labels for the ${count} images of ${basename(imagesFile)}`,
    );
  }
  return { pixels: images.values, labels: labels.values, height, width };
}

interface IdxPair {
  images: string;
  labels: string;
  test: boolean;
}

/** The image/label file pairs in a folder (or beside one images file): train-… and t10k-… or test-… files as the files' split. */
async function findPairs(path: string): Promise<IdxPair[]> {
  const isFolder = (await statUserPath(path)).isDirectory();
  const folder = isFolder ? path : dirname(path);
  const names = await readdir(folder);
  const imageFiles = isFolder ? names.filter((n) => /idx3-ubyte/.test(n)) : [basename(path)];
  if (imageFiles.length === 0) throw new DatasetFileError(path, null, 'no *-images-idx3-ubyte file here');
  return imageFiles.sort().map((images) => {
    const labels = names.find((n) => n === images.replace('images', 'labels').replace('idx3', 'idx1'));
    if (!labels)
      throw new DatasetFileError(
        join(folder, images),
        null,
        `no labels file beside it (expected ${images.replace('images', 'labels').replace('idx3', 'idx1')})`,
      );
    return { images: join(folder, images), labels: join(folder, labels), test: /^(t10k|test)/.test(images) };
  });
}

/** MNIST (or Fashion-MNIST, or any IDX image set): a folder of IDX pairs, gzipped or not. */
export async function importMnistIdx(path: string, control: ImportControl = {}): Promise<ImageClassificationData> {
  const parts: ReturnType<typeof mnistFromIdx>[] = [];
  const pairs = await findPairs(path);
  const tests: boolean[] = [];
  for (const [i, pair] of pairs.entries()) {
    control.onProgress?.({
      done: i,
      total: pairs.length,
      phase: `reading ${basename(pair.images)}`,
      rate: 0,
      etaSeconds: null,
    });
    const images = await readIdxFile(pair.images, 3, control.signal);
    const labels = await readIdxFile(pair.labels, 1, control.signal);
    parts.push(mnistFromIdx(pair.images, images, pair.labels, labels));
    tests.push(pair.test);
  }
  const [first] = parts;
  const mismatch = parts.findIndex((p) => p.height !== first!.height || p.width !== first!.width);
  if (mismatch >= 0)
    throw new DatasetFileError(
      pairs[mismatch]!.images,
      null,
      `${parts[mismatch]!.height}x${parts[mismatch]!.width} images where ${basename(pairs[0]!.images)} has ${first!.height}x${first!.width}`,
    );
  const total = parts.reduce((sum, p) => sum + p.labels.length, 0);
  const pixels = new Uint8Array(total * first!.height * first!.width);
  const labels = new Int32Array(total);
  const fileSplit = new Uint8Array(total);
  let offset = 0;
  parts.forEach((part, i) => {
    pixels.set(part.pixels, offset * first!.height * first!.width);
    labels.set(part.labels, offset);
    fileSplit.fill(tests[i] ? 1 : 0, offset, offset + part.labels.length);
    offset += part.labels.length;
  });
  // A loop, not Math.max(...labels): a spread of a million labels overflows the stack.
  const classCount = labels.reduce((most, label) => Math.max(most, label), 0) + 1;
  return {
    kind: 'image-classification',
    classNames: Array.from({ length: classCount }, (_, i) => String(i)),
    height: first!.height,
    width: first!.width,
    channels: 1,
    pixels,
    labels,
    ...(tests.some(Boolean) && tests.some((t) => !t) ? { fileSplit } : {}),
  };
}
