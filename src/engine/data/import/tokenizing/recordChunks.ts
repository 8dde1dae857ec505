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

/**
 * Where the text's whole records end: just after its last newline that is outside quotes (CSV/TSV, where a quoted
 * field may hold newlines, and "" inside quotes is an escaped quote: it toggles twice) or just after its last
 * newline (JSON Lines, whose strings cannot hold one). -1 when no record ends in it yet.
 */
export function wholeRecordsEnd(text: string, quoted: boolean): number {
  if (!quoted) {
    const last = text.lastIndexOf('\n');
    return last < 0 ? -1 : last + 1;
  }
  let end = -1;
  let inside = false;
  let from = 0;
  for (let quote = text.indexOf('"'); ; quote = text.indexOf('"', quote + 1)) {
    const to = quote < 0 ? text.length : quote;
    if (!inside) {
      const last = text.lastIndexOf('\n', to - 1);
      if (last >= from) end = last + 1;
    }
    if (quote < 0) return end;
    inside = !inside;
    from = quote + 1;
  }
}

/**
 * A file's text cut into chunks of whole records, about `chunkChars` each, as it is read: memory is a chunk or two
 * whatever the file's size. A record that has not ended after MAX_RECORD_CHARS (an unclosed quote, a file with no
 * newlines) is an error naming the line it starts on, not a buffer the size of the file.
 */
export async function* recordChunks(
  file: string,
  quoted: boolean,
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
      const end = wholeRecordsEnd(pending.slice(0, chunkChars), quoted);
      const cut = end > 0 ? end : wholeRecordsEnd(pending, quoted);
      if (cut <= 0) break;
      yield take(cut);
    }
    if (pending.length > MAX_RECORD_CHARS && wholeRecordsEnd(pending, quoted) < 0)
      throw new DatasetFileError(
        file,
        `line ${line}`,
        `a record of more than ${MAX_RECORD_CHARS} characters${quoted ? ' (a quote opened and never closed?)' : ''}`,
      );
  }
  if (pending.length > 0) yield take(pending.length);
}
