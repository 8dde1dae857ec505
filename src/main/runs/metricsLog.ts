import { crc32 } from 'node:zlib';
import { errorCode, type RunFileSystem } from './runFileSystem';

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

/** One line's record, or null for a line that fails its checksum or is not a JSON object. */
function parseLine(line: string): object | null {
  const framed = FRAMED.exec(line);
  const json = framed ? framed[2]! : line;
  if (framed && crc32(json) !== parseInt(framed[1]!, 16)) return null;
  try {
    // A record is an object: a torn frame such as "0c1f7" is valid JSON (a number), not a record.
    const record: unknown = JSON.parse(json);
    return record && typeof record === 'object' && !Array.isArray(record) ? record : null;
  } catch {
    return null;
  }
}

/** Reads a log held in memory; lines written before framing (plain JSON) are still read. */
export function parseMetricsLog(text: string): ParsedLog {
  const records: unknown[] = [];
  let [skipped, offset, goodBytes] = [0, 0, 0];
  for (const line of text.split('\n')) {
    const end = offset + Buffer.byteLength(line) + 1;
    offset = end;
    if (line === '') continue;
    const record = parseLine(line);
    if (record) {
      records.push(record);
      goodBytes = end;
    } else skipped++;
  }
  return { records, skipped, goodBytes };
}

const CHUNK = 256 * 1024;

/**
 * Streams a log from disk a chunk at a time, handing each good record to `onRecord`: memory stays bounded by
 * `maxLine` whatever the log's size. A line longer than maxLine is skipped without being held whole. Returns how
 * many lines were skipped; a missing log reads as empty.
 */
export async function streamMetricsLog(
  files: RunFileSystem,
  path: string,
  maxLine: number,
  onRecord: (record: object) => void,
): Promise<{ skipped: number }> {
  let handle;
  try {
    handle = await files.open(path, 'r');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { skipped: 0 };
    throw error;
  }
  let skipped = 0;
  const take = (line: Buffer) => {
    if (line.length === 0) return;
    const record = parseLine(line.toString('utf8'));
    if (record) onRecord(record);
    else skipped++;
  };
  try {
    const buffer = Buffer.alloc(CHUNK);
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let overlong = false;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, null);
      if (bytesRead === 0) break;
      let start = 0;
      for (let newline = buffer.indexOf(0x0a, start); newline >= 0 && newline < bytesRead;) {
        if (!overlong) take(Buffer.concat([...pending, buffer.subarray(start, newline)]));
        else skipped++;
        [pending, pendingBytes, overlong] = [[], 0, false];
        start = newline + 1;
        newline = buffer.indexOf(0x0a, start);
      }
      if (start < bytesRead && !overlong) {
        pendingBytes += bytesRead - start;
        if (pendingBytes > maxLine) [pending, overlong] = [[], true];
        else pending.push(Buffer.from(buffer.subarray(start, bytesRead)));
      }
    }
    // An unterminated last line is a record torn by a crash: it counts only if it is whole (its checksum says).
    if (overlong) skipped++;
    else if (pendingBytes > 0) take(Buffer.concat(pending));
  } finally {
    await handle.close();
  }
  return { skipped };
}

/**
 * Cuts a torn record off the end of a log, so that the next record starts on a line of its own: a run resumed after
 * a crash appends to the log it had. Only an unterminated last line is cut; nothing complete is ever removed.
 */
export async function repairMetricsLog(files: RunFileSystem, path: string): Promise<void> {
  let handle;
  try {
    handle = await files.open(path, 'r+');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) return;
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
