import { parse } from 'csv-parse';
import { pipeline, Readable } from 'node:stream';
import { DatasetFileError } from '../datasetFileError';
import { findColumn, guessColumns, looksLikeHeader, type DelimitedTextOptions } from '../delimitedText';
import { jsonRecord } from '../jsonLines';
import { MAX_RECORD_CHARS } from '../readText';
import { utf8Chunks } from './utf8Chunks';

/** One labelled text of a file read as a stream, with the line it ends on (for the messages). */
export interface StreamedRecord {
  text: string;
  label: string;
  line: number;
}

/** A text-classification file opened for streaming: its columns chosen, its records read as often as asked. */
export interface StreamedTextSource {
  /** CSV/TSV: the columns found and the two chosen; JSONL: the fields "text" and "label". */
  columns?: string[];
  textColumn: string;
  labelColumn: string;
  /** Every record, in file order; `onBytes` hears how many bytes have been read. */
  records(signal: AbortSignal | undefined, onBytes: (bytes: number) => void): AsyncGenerator<StreamedRecord>;
}

/** Rows the header and column guesses look at: as the in-memory import samples. */
const SAMPLE_ROWS = 2000;

function csvFailure(file: string, error: unknown): Error {
  if (error instanceof DatasetFileError || (error as Error).name === 'AbortError') return error as Error;
  const { code, lines, message } = error as { code?: string; lines?: number; message: string };
  const where = lines ? `line ${lines}` : null;
  switch (code) {
    case 'CSV_MAX_RECORD_SIZE':
      return new DatasetFileError(
        file,
        where,
        `a record of more than ${MAX_RECORD_CHARS} characters (a quote opened and never closed?)`,
      );
    case 'CSV_QUOTE_NOT_CLOSED':
      return new DatasetFileError(file, where, 'a quote opened and never closed');
    default:
      return new DatasetFileError(file, where, message.replace(/\s*at line \d+.*$/, ''));
  }
}

/**
 * A CSV/TSV file's rows, parsed as they are read (csv-parse caps a record at MAX_RECORD_CHARS, so an unclosed quote
 * in a 10 GB file is an error, not 10 GB of buffer). Rows of whitespace only are skipped.
 */
async function* csvRows(
  file: string,
  delimiter: string,
  signal: AbortSignal | undefined,
  onBytes: (bytes: number) => void,
): AsyncGenerator<{ row: string[]; line: number }> {
  const text = async function* () {
    for await (const chunk of utf8Chunks(file, signal)) {
      onBytes(chunk.bytesRead);
      yield chunk.text;
    }
  };
  const parser = parse({
    delimiter,
    max_record_size: MAX_RECORD_CHARS,
    skip_empty_lines: true,
    relax_column_count: true,
    info: true,
  });
  // pipeline, not pipe: a parser stopped early (the sample) or failed stops the file's stream with it.
  const rows = pipeline(Readable.from(text()), parser, () => undefined);
  try {
    for await (const { record, info } of rows as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (record.length === 1 && record[0]!.trim() === '') continue;
      yield { row: record, line: info.lines };
    }
  } catch (error) {
    throw csvFailure(file, error);
  }
}

async function openDelimited(
  file: string,
  delimiter: string,
  options: DelimitedTextOptions,
): Promise<StreamedTextSource> {
  const sample: string[][] = [];
  for await (const { row } of csvRows(file, delimiter, undefined, () => undefined)) {
    sample.push(row);
    if (sample.length === SAMPLE_ROWS) break;
  }
  if (sample.length === 0) throw new DatasetFileError(file, null, 'the file holds no rows');
  const width = sample[0]!.length;
  if (width < 2)
    throw new DatasetFileError(
      file,
      null,
      `only one column found; a text and a label column are needed (is the delimiter "${delimiter}" right?)`,
    );
  const hasHeader =
    options.header === 'yes' || (options.header !== 'no' && looksLikeHeader(sample[0]!, sample.slice(1)));
  const columns = sample[0]!.map((name, i) => (hasHeader && name.trim()) || `column ${i + 1}`);
  const table = { columns, rows: hasHeader ? sample.slice(1) : sample, hasHeader };
  const guessed = guessColumns(table);
  const textIndex = options.textColumn ? findColumn(file, table, options.textColumn, 'text') : guessed.text;
  const labelIndex = options.labelColumn ? findColumn(file, table, options.labelColumn, 'label') : guessed.label;
  if (textIndex === labelIndex)
    throw new DatasetFileError(file, null, `the text and the label are the same column ("${columns[textIndex]}")`);
  const labelColumn = columns[labelIndex]!;
  return {
    columns,
    textColumn: columns[textIndex]!,
    labelColumn,
    async *records(signal, onBytes) {
      let first = true;
      for await (const { row, line } of csvRows(file, delimiter, signal, onBytes)) {
        if (first && hasHeader) {
          first = false;
          continue;
        }
        first = false;
        if (row.length !== width)
          throw new DatasetFileError(
            file,
            `line ${line}`,
            `${row.length} fields where the first row has ${width} (a stray delimiter or an unquoted field?)`,
          );
        const label = row[labelIndex]!.trim();
        if (label === '') throw new DatasetFileError(file, `line ${line}`, `the label ("${labelColumn}") is empty`);
        yield { text: row[textIndex]!, label, line };
      }
    },
  };
}

/** A JSON Lines file's records, split into lines as read; a line longer than MAX_RECORD_CHARS is an error. */
async function* jsonLineRecords(
  file: string,
  signal: AbortSignal | undefined,
  onBytes: (bytes: number) => void,
): AsyncGenerator<StreamedRecord> {
  let partial = '';
  let line = 0;
  const lineRecord = (content: string): StreamedRecord | null => {
    line++;
    if (content.trim() === '') return null;
    if (content.length > MAX_RECORD_CHARS)
      throw new DatasetFileError(
        file,
        `line ${line}`,
        `more than the ${MAX_RECORD_CHARS} characters one record may hold`,
      );
    const { text, label } = jsonRecord(file, line, content, ['text', 'label'] as const);
    return { text, label: label.trim(), line };
  };
  for await (const chunk of utf8Chunks(file, signal)) {
    onBytes(chunk.bytesRead);
    const lines = (partial + chunk.text).split('\n');
    partial = lines.pop()!;
    if (partial.length > MAX_RECORD_CHARS) lineRecord(partial);
    for (const content of lines) {
      const record = lineRecord(content.endsWith('\r') ? content.slice(0, -1) : content);
      if (record) yield record;
    }
  }
  const last = lineRecord(partial.endsWith('\r') ? partial.slice(0, -1) : partial);
  if (last) yield last;
}

/** Opens a CSV, TSV or JSON Lines file of labelled texts for streaming, choosing its columns from a sample. */
export async function openStreamedText(
  file: string,
  format: 'csv' | 'tsv' | 'jsonl',
  options: DelimitedTextOptions,
): Promise<StreamedTextSource> {
  if (format === 'jsonl')
    return {
      textColumn: 'text',
      labelColumn: 'label',
      records: (signal, onBytes) => jsonLineRecords(file, signal, onBytes),
    };
  return openDelimited(file, format === 'tsv' ? '\t' : ',', options);
}
