import { DatasetFileError } from './datasetFileError';
import { numberedLines } from './readText';

/** One line of a JSON Lines file as an object with the string fields asked for, or an error naming the line. */
export function jsonRecord<K extends string>(
  file: string,
  line: number,
  content: string,
  fields: readonly K[],
): Record<K, string> {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch (error) {
    throw new DatasetFileError(
      file,
      `line ${line}`,
      `not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new DatasetFileError(file, `line ${line}`, 'expected a JSON object');
  const record = {} as Record<K, string>;
  for (const field of fields) {
    const cell = (value as Record<string, unknown>)[field];
    if (typeof cell === 'number') record[field] = String(cell);
    else if (typeof cell === 'string') record[field] = cell;
    else
      throw new DatasetFileError(
        file,
        `line ${line}`,
        cell === undefined ? `no "${field}" field` : `"${field}" is not a string`,
      );
  }
  return record;
}

/**
 * The objects of a JSON Lines file, each with the string fields asked for (a number is taken as its text). Blank
 * lines are skipped; any other line that is not such an object is an error naming its line.
 */
export function parseJsonLines<K extends string>(
  file: string,
  text: string,
  fields: readonly K[],
): Record<K, string>[] {
  const records: Record<K, string>[] = [];
  for (const { line, text: content } of numberedLines(file, text)) {
    if (content.trim() !== '') records.push(jsonRecord(file, line, content, fields));
  }
  if (records.length === 0) throw new DatasetFileError(file, null, 'the file holds no records');
  return records;
}

/** The keys of the first object in a JSON Lines file, to tell a text-classification file from a seq2seq one. */
export function firstRecordKeys(text: string): string[] {
  const first = text.split(/\r?\n/).find((line) => line.trim() !== '');
  try {
    const value: unknown = JSON.parse(first ?? '');
    return value && typeof value === 'object' ? Object.keys(value) : [];
  } catch {
    return [];
  }
}
