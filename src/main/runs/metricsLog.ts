import { open, stat } from 'node:fs/promises';
import { crc32 } from 'node:zlib';

/**
 * The metrics log's framing: one record per line, the CRC-32 of the record's JSON as 8 hex digits, a space, the
 * JSON. A crash mid-write leaves at most one torn record at the end; a bit flipped anywhere corrupts one record.
 * Either is detected by its checksum and skipped, and every other record still reads. JSON never holds a raw
 * newline, so a line is a record.
 */

export function frameRecord(json: string): string {
  return `${crc32(json).toString(16).padStart(8, '0')} ${json}\n`;
}

export interface ParsedLog {
  records: unknown[];
  /** Lines that failed their checksum or did not parse. */
  skipped: number;
  /** Bytes up to the end of the last good record: where appending may safely go on. */
  goodBytes: number;
}

const FRAMED = /^([0-9a-f]{8}) (.*)$/;

/** Reads a log; lines written before framing (plain JSON) are still read. */
export function parseMetricsLog(text: string): ParsedLog {
  const records: unknown[] = [];
  let [skipped, offset, goodBytes] = [0, 0, 0];
  for (const line of text.split('\n')) {
    const end = offset + Buffer.byteLength(line) + 1;
    offset = end;
    if (line === '') continue;
    const framed = FRAMED.exec(line);
    const json = framed ? framed[2]! : line;
    try {
      if (framed && crc32(json) !== parseInt(framed[1]!, 16)) throw new Error('checksum');
      // A record is an object: a torn frame such as "0c1f7" is valid JSON (a number), not a record.
      const record: unknown = JSON.parse(json);
      if (!record || typeof record !== 'object' || Array.isArray(record)) throw new Error('not a record');
      records.push(record);
      goodBytes = end;
    } catch {
      skipped++;
    }
  }
  return { records, skipped, goodBytes };
}

/**
 * Cuts a torn record off the end of a log, so that the next record starts on a line of its own: a run resumed after
 * a crash appends to the log it had. Only an unterminated last line is cut; nothing complete is ever removed.
 */
export async function repairMetricsLog(path: string): Promise<void> {
  const size = await stat(path).then(
    (info) => info.size,
    () => 0,
  );
  if (size === 0) return;
  const handle = await open(path, 'r+');
  try {
    // Scan back for the last newline, at most 16 MB: a record is far smaller.
    const window = Math.min(size, 16 * 1024 * 1024);
    const tail = Buffer.alloc(window);
    await handle.read(tail, 0, window, size - window);
    if (tail[window - 1] === 0x0a) return;
    const lastNewline = tail.lastIndexOf(0x0a);
    await handle.truncate(lastNewline < 0 ? size - window : size - window + lastNewline + 1);
  } finally {
    await handle.close();
  }
}
