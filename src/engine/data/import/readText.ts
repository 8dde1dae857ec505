import { DatasetFileError } from './datasetFileError';
import { readUserFile } from './userFile';

/** Text files larger than this are refused before they are read: a text dataset this big does not fit the app. */
export const MAX_TEXT_BYTES = 512 * 1024 * 1024;
/**
 * The most characters one line or one field may hold. A model reads a few hundred tokens of a text; a 150 MB line
 * is a broken file, and tokenizing it whole would exhaust the heap.
 */
export const MAX_RECORD_CHARS = 1_000_000;

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

export async function readTextFile(file: string, signal?: AbortSignal): Promise<string> {
  const bytes = await readUserFile(file, {
    maxBytes: MAX_TEXT_BYTES,
    limitName: 'the limit for text files',
    ...(signal ? { signal } : {}),
  });
  return decodeUtf8(file, bytes);
}

/** Refuses a line or field longer than MAX_RECORD_CHARS, naming where it is. */
export function checkRecordLength(file: string, where: string, text: string): void {
  if (text.length > MAX_RECORD_CHARS) {
    throw new DatasetFileError(
      file,
      where,
      `${text.length} characters, more than the ${MAX_RECORD_CHARS} one record may hold (is this a text dataset?)`,
    );
  }
}

/** The lines of a text, numbered from 1, without their line endings; a line over MAX_RECORD_CHARS is an error. */
export function numberedLines(file: string, text: string): { line: number; text: string }[] {
  return text.split(/\r?\n/).map((content, i) => {
    checkRecordLength(file, `line ${i + 1}`, content);
    return { line: i + 1, text: content };
  });
}
