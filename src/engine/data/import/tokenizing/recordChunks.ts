import { DatasetFileError } from '../datasetFileError';
import { MAX_RECORD_CHARS } from '../readText';
import { utf8Chunks } from './utf8Chunks';

/** Whole records of a file, cut from its stream for one worker to parse: their text and the line they start on. */
export interface RecordChunk {
  text: string;
  firstLine: number;
}

function newlines(text: string, from = 0, to = text.length): number {
  let count = 0;
  for (let at = text.indexOf('\n', from); at >= 0 && at < to; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

/** The field delimiter of a CSV or TSV file; null for JSON Lines, whose records are lines. */
export function delimiterOf(format: 'csv' | 'tsv'): string;
export function delimiterOf(format: 'csv' | 'tsv' | 'jsonl'): string | null;
export function delimiterOf(format: 'csv' | 'tsv' | 'jsonl'): string | null {
  return format === 'jsonl' ? null : format === 'tsv' ? '\t' : ',';
}

const QUOTE = 34;
const NEWLINE = 10;
const RETURN = 13;

/**
 * Where the text's whole records end: just after its last newline outside a quoted field. A quote opens a field
 * only at its start (after a delimiter or a line break), as Papa Parse reads it, so `5" screen` stays text; inside
 * one, "" is an escaped quote. JSON Lines (no delimiter) ends a record at every newline: its strings cannot hold one.
 * -1 when no record ends in the text yet.
 */
export function wholeRecordsEnd(text: string, delimiter: string | null): number {
  if (delimiter === null) {
    const last = text.lastIndexOf('\n');
    return last < 0 ? -1 : last + 1;
  }
  const separator = delimiter.charCodeAt(0);
  let end = -1;
  let inside = false;
  let fieldStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inside) {
      if (c !== QUOTE) continue;
      if (text.charCodeAt(i + 1) === QUOTE) i++;
      else inside = false;
    } else if (c === QUOTE && fieldStart) {
      inside = true;
      fieldStart = false;
    } else if (c === NEWLINE) {
      end = i + 1;
      fieldStart = true;
    } else fieldStart = c === separator || c === RETURN;
  }
  return end;
}

/**
 * A file's text cut into chunks of whole records, about `chunkChars` each, as it is read: memory is a chunk or two
 * whatever the file's size. A record that has not ended after MAX_RECORD_CHARS (an unclosed quote, a file with no
 * newlines) is an error naming the line it starts on, not a buffer the size of the file.
 */
export async function* recordChunks(
  file: string,
  /** The CSV/TSV delimiter; null for JSON Lines. */
  delimiter: string | null,
  signal: AbortSignal | undefined,
  onBytes: (bytes: number) => void,
  chunkChars = 1 << 20,
): AsyncGenerator<RecordChunk> {
  let pending = '';
  let line = 1;
  const take = (end: number): RecordChunk => {
    const chunk = { text: pending.slice(0, end), firstLine: line };
    line += newlines(pending, 0, end);
    pending = pending.slice(end);
    return chunk;
  };
  for await (const { text, bytesRead } of utf8Chunks(file, signal)) {
    onBytes(bytesRead);
    pending += text;
    while (pending.length >= chunkChars) {
      // The whole records in the next chunkChars characters; all of them, when one record is longer than that.
      const end = wholeRecordsEnd(pending.slice(0, chunkChars), delimiter);
      const cut = end > 0 ? end : wholeRecordsEnd(pending, delimiter);
      if (cut <= 0) break;
      yield take(cut);
    }
    if (pending.length > MAX_RECORD_CHARS && wholeRecordsEnd(pending, delimiter) < 0)
      throw new DatasetFileError(
        file,
        `line ${line}`,
        `a record of more than ${MAX_RECORD_CHARS} characters${delimiter === null ? '' : ' (a quote opened and never closed?)'}`,
      );
  }
  if (pending.length > 0) yield take(pending.length);
}
