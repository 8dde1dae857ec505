import * as fs from 'node:fs/promises';

/**
 * The file functions the run store uses, as one object: node:fs/promises in the app and the CLI, a fault-injecting
 * wrapper in the tests (a full disk, an I/O error, a crash between two steps of a write).
 */
export type RunFileSystem = Pick<
  typeof fs,
  'open' | 'readFile' | 'writeFile' | 'appendFile' | 'rename' | 'rm' | 'unlink' | 'link' | 'mkdir' | 'readdir' | 'stat'
>;

export const nodeFileSystem: RunFileSystem = fs;

/** The error code of a failed file call (ENOENT, ENOSPC, EEXIST…), or undefined. */
export const errorCode = (error: unknown): string | undefined =>
  error && typeof error === 'object' && 'code' in error ? String((error as { code: unknown }).code) : undefined;

/** A file's size, or null when there is none (any other error is thrown). */
export async function sizeOf(files: RunFileSystem, path: string): Promise<number | null> {
  try {
    return (await files.stat(path)).size;
  } catch (error) {
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return null;
    throw error;
  }
}
