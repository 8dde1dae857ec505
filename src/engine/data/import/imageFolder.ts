import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { ImageClassificationData } from '../datasetTypes';
import { indexLabels } from './classLabels';
import { DatasetFileError, ImportCancelledError } from './datasetFileError';
import { decodeImage, resizeInto } from './decodeImage';
import { MAX_IMAGE_BYTES } from './imageBudget';
import { progressTicker, type ImportControl } from './importProgress';
import { readUserFile } from './userFile';

export interface ImageFolderOptions {
  /** Every image is resized to this. Defaults to 32 x 32. */
  height?: number;
  width?: number;
  /** 3 for colour, 1 for grey. Defaults to 3. */
  channels?: 1 | 3;
}

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg']);
/** One image file may be at most this big (a large photo is a few tens of MB); a bigger one is skipped. */
const MAX_IMAGE_FILE_BYTES = 256 * 1024 * 1024;

/** A file that could not be decoded: skipped, and listed for the user. */
export interface SkippedFile {
  file: string;
  reason: string;
}

/**
 * A folder of class folders (root/cat/001.png, root/dog/002.jpg, ...), as Keras' image_dataset_from_directory and
 * torchvision's ImageFolder read it. Images are resized to one size; files that do not decode are skipped and
 * listed, not fatal.
 */
export async function importImageFolder(
  root: string,
  options: ImageFolderOptions = {},
  control: ImportControl = {},
): Promise<ImageClassificationData & { skipped: SkippedFile[] }> {
  const { height = 32, width = 32, channels = 3 } = options;
  const entries = await readdir(root, { withFileTypes: true });
  const classFolders = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name);
  if (classFolders.length === 0)
    throw new DatasetFileError(root, null, 'no class folders: put the images of each class in a folder named after it');
  const files: { path: string; label: string }[] = [];
  for (const label of classFolders) {
    for (const name of (await readdir(join(root, label))).sort()) {
      if (IMAGE_EXTENSIONS.has(extname(name).toLowerCase())) files.push({ path: join(root, label, name), label });
    }
  }
  if (files.length === 0) throw new DatasetFileError(root, null, 'no .png, .jpg or .jpeg files in the class folders');
  const imageBytes = height * width * channels;
  if (files.length * imageBytes > MAX_IMAGE_BYTES)
    throw new DatasetFileError(
      root,
      null,
      `${files.length} images of ${height}x${width}x${channels} are more than the ${MAX_IMAGE_BYTES}-byte import budget`,
    );
  const pixels = new Uint8Array(files.length * imageBytes);
  const labels: string[] = [];
  const skipped: SkippedFile[] = [];
  const tick = progressTicker(control, 'decoding images', files.length);
  for (const [i, { path, label }] of files.entries()) {
    try {
      const bytes = await readUserFile(path, {
        maxBytes: MAX_IMAGE_FILE_BYTES,
        limitName: 'the limit for one image file',
        ...(control.signal ? { signal: control.signal } : {}),
      });
      resizeInto(decodeImage(bytes), height, width, channels, pixels, labels.length * imageBytes);
      labels.push(label);
    } catch (error) {
      if (error instanceof ImportCancelledError) throw error;
      skipped.push({
        file: path.slice(root.length + 1),
        reason: error instanceof Error ? error.message : String(error),
      });
    }
    await tick(i + 1);
  }
  if (labels.length === 0)
    throw new DatasetFileError(
      root,
      null,
      `none of the ${files.length} images could be decoded (first: ${skipped[0]?.file}: ${skipped[0]?.reason})`,
    );
  const indexed = indexLabels(root, 'folders', labels);
  return {
    kind: 'image-classification',
    ...indexed,
    height,
    width,
    channels,
    pixels: pixels.slice(0, labels.length * imageBytes),
    skipped,
  };
}
