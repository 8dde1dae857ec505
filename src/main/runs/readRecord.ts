import type { z } from 'zod';
import { firstIssue } from '../../shared/storedRecords/storedNumber';
import { sizeOf, type RunFileSystem } from './runFileSystem';

/** What a schema made of a record's JSON: zod's safeParse result, or one shaped like it. */
export type ParsedRecord<T> = { success: true; data: T } | { success: false; error: z.ZodError };

/** A record read from disk: its value, or why it could not be used (missing is told apart from damaged). */
export type RecordRead<T> = { state: 'ok'; value: T } | { state: 'missing' } | { state: 'damaged'; reason: string };

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * Reads a JSON record of at most `limit` bytes and parses it with its schema. The size is checked before reading,
 * so a huge file is refused without being loaded; a file that is not JSON or does not fit the schema is damaged,
 * with the reason. Never throws for what the file holds; an I/O error other than absence is damage too.
 */
export async function readRecord<T>(
  files: RunFileSystem,
  path: string,
  limit: number,
  parse: (value: unknown) => ParsedRecord<T>,
): Promise<RecordRead<T>> {
  let text: string;
  try {
    const size = await sizeOf(files, path);
    if (size === null) return { state: 'missing' };
    if (size > limit) {
      return { state: 'damaged', reason: `${megabytes(size)}, more than the ${megabytes(limit)} it may hold` };
    }
    text = await files.readFile(path, 'utf8');
  } catch (error) {
    return { state: 'damaged', reason: `unreadable: ${error instanceof Error ? error.message : String(error)}` };
  }
  // A file that grew after its size was checked is cut off at the limit's length rather than trusted.
  if (text.length > limit) return { state: 'damaged', reason: `more than the ${megabytes(limit)} it may hold` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { state: 'damaged', reason: `not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  const parsed = parse(value);
  return parsed.success ? { state: 'ok', value: parsed.data } : { state: 'damaged', reason: firstIssue(parsed.error) };
}
