import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { processAlive } from './liveProcess';

/** The file functions an atomic write needs: node:fs/promises, or a test's fault-injecting stand-in. */
export type AtomicWriteFiles = Pick<typeof fs, 'open' | 'rename' | 'rm' | 'mkdir'>;

/** A temporary name beside `path` that no other writer (thread or process) can pick. */
export const temporaryName = (path: string): string => `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;

/** The pid of the process that made a temporary name, or null for a name temporaryName did not make. */
export function temporaryWriter(name: string): number | null {
  const match = /\.(\d+)-[0-9a-f]{8}\.tmp$/.exec(name);
  return match ? Number(match[1]) : null;
}

/**
 * A temporary file or folder left by a writer that died: removable. One of a live process (this one included) is
 * left alone: it may be that process's lock attempt or write, in flight now.
 */
export function isAbandonedTemporary(name: string): boolean {
  const pid = temporaryWriter(name);
  return pid !== null && !processAlive(pid, null);
}

/**
 * Replaces a file as a whole or not at all (the one helper every record of the app's data folder is written by): written to a temporary name of its own, flushed to the disk, then
 * renamed over the old one. A failure at any step (a full disk, an I/O error) removes the temporary and throws; the
 * old file is untouched. A crash leaves the old file or the new one, never half of either.
 */
export async function writeAtomically(files: AtomicWriteFiles, path: string, data: string | Uint8Array): Promise<void> {
  const temporary = temporaryName(path);
  try {
    const handle = await files.open(temporary, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await files.rename(temporary, path);
  } catch (error) {
    await files.rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}

/**
 * Writes a folder whole or not at all: `fill` writes its files into a new folder of a temporary name of its own,
 * then `place` puts it where it belongs (a rename, unless the caller replaces an existing folder its own way). A
 * failure at any step removes the temporary folder and throws; a crash leaves it to a sweep (temporaryWriter).
 */
export async function writeFolderAtomically(
  files: AtomicWriteFiles,
  target: string,
  fill: (folder: string) => Promise<void>,
  place: (folder: string) => Promise<void> = (folder) => files.rename(folder, target),
): Promise<void> {
  const temporary = temporaryName(target);
  try {
    await files.mkdir(temporary, { recursive: true });
    await fill(temporary);
    await place(temporary);
  } catch (error) {
    await files.rm(temporary, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
}
