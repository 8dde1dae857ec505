import { readFile } from 'node:fs/promises';
import { DatasetFileError } from './datasetFileError';

/** Text files larger than this are refused before they are read: a text dataset this big does not fit the app. */
export const MAX_TEXT_BYTES = 512 * 1024 * 1024;

/**
 * Decodes UTF-8 strictly: invalid bytes are an error naming the line they are on, not silent U+FFFD characters
 * that would become tokens. A byte-order mark is dropped.
 */
export function decodeUtf8(file: string, bytes: Uint8Array): string {
  if (bytes.length === 0) throw new DatasetFileError(file, null, 'the file is empty');
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const lossy = new TextDecoder('utf-8').decode(bytes);
    const at = lossy.indexOf('\uFFFD');
    const line = lossy.slice(0, Math.max(0, at)).split('\n').length;
    throw new DatasetFileError(file, `line ${line}`, 'invalid UTF-8 (save the file as UTF-8)');
  }
}

export async function readTextFile(file: string, size: number): Promise<string> {
  if (size > MAX_TEXT_BYTES) throw new DatasetFileError(file, null, `${size} bytes is more than the ${MAX_TEXT_BYTES}-byte limit for text files`);
  return decodeUtf8(file, await readFile(file));
}

/** The lines of a text, numbered from 1, without their line endings. */
export function numberedLines(text: string): { line: number; text: string }[] {
  return text.split(/\r?\n/).map((content, i) => ({ line: i + 1, text: content }));
}
