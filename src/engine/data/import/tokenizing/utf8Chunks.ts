import { createReadStream } from 'node:fs';
import { DatasetFileError } from '../datasetFileError';

/** Bytes read from the disk at a time: big enough for sequential reads, small beside the records in flight. */
const READ_BYTES = 1024 * 1024;

function newlines(text: string, end = text.length): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at >= 0 && at < end; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

/** A file's text, a chunk at a time, with the bytes read so far. */
export interface TextChunk {
  text: string;
  bytesRead: number;
}

/**
 * A file decoded as strict UTF-8 a chunk at a time (a character split between chunks is joined): invalid bytes are
 * an error naming their line, as for a file read whole, never U+FFFD characters that would become tokens. A
 * byte-order mark is dropped. Memory is one chunk, whatever the file's size.
 */
export async function* utf8Chunks(file: string, signal?: AbortSignal): AsyncGenerator<TextChunk> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let line = 1;
  let bytesRead = 0;
  const invalid = (chunk: Uint8Array): never => {
    const lossy = new TextDecoder('utf-8').decode(chunk);
    throw new DatasetFileError(
      file,
      `line ${line + newlines(lossy, lossy.indexOf('\uFFFD'))}`,
      'invalid UTF-8 (save the file as UTF-8)',
    );
  };
  const stream = createReadStream(file, { highWaterMark: READ_BYTES, ...(signal ? { signal } : {}) });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    bytesRead += chunk.length;
    let text = '';
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      invalid(chunk);
    }
    line += newlines(text);
    if (text.length > 0) yield { text, bytesRead };
  }
  try {
    const rest = decoder.decode();
    if (rest.length > 0) yield { text: rest, bytesRead };
  } catch {
    throw new DatasetFileError(file, `line ${line}`, 'invalid UTF-8 at the end of the file (a character cut short)');
  }
}
