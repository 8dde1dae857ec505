import type { Dirent } from 'node:fs';
import { opendir, readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { DatasetFileError } from '../datasetFileError';

/** What libvips decodes (jpeg-js/pngjs, the fallback, only the first three). */
const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.gif', '.tif', '.tiff', '.avif']);

/** A file of a class folder: its path and class, or why it is refused without being opened. */
export interface FolderImage {
  path: string;
  label: number;
  refused?: string;
}

/** The class folders, sorted: their index is the label. Hidden folders are not classes. */
export async function classFolders(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true });
  const classes = entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  if (classes.length === 0)
    throw new DatasetFileError(root, null, 'no class folders: put the images of each class in a folder named after it');
  return classes;
}

function refusal(entry: Dirent): string | undefined {
  if (entry.isFile() || entry.isSymbolicLink()) return undefined; // a link is checked when opened
  if (entry.isFIFO()) return 'is a named pipe (FIFO), not a regular file';
  if (entry.isCharacterDevice() || entry.isBlockDevice()) return 'is a device, not a regular file';
  if (entry.isSocket()) return 'is a socket, not a regular file';
  return 'is not a regular file';
}

/**
 * Every image file of every class folder, streamed: opendir reads a folder a few entries at a time, so a class of a
 * million files never sits in memory as a list. The order is the folders' (stable for a given folder on a given
 * file system), class by class. Folders inside class folders are not read.
 */
export async function* folderImages(root: string, classes: string[]): AsyncGenerator<FolderImage> {
  for (const [label, name] of classes.entries()) {
    const folder = join(root, name);
    const entries = await opendir(folder, { bufferSize: 256 }).catch((error: NodeJS.ErrnoException) => {
      throw new DatasetFileError(folder, null, `the class folder cannot be read (${error.code ?? error.message})`);
    });
    for await (const entry of entries) {
      if (entry.isDirectory() || !IMAGE_EXTENSIONS.has(extname(entry.name).toLowerCase())) continue;
      const refused = refusal(entry);
      yield { path: join(folder, entry.name), label, ...(refused ? { refused: `${entry.name}: ${refused}` } : {}) };
    }
  }
}
