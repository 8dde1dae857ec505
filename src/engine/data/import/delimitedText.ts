import Papa from 'papaparse';
import type { TextClassificationData } from '../datasetTypes';
import { indexLabels } from './classLabels';
import { DatasetFileError } from './datasetFileError';
import { checkRecordLength } from './readText';

export interface DelimitedTextOptions {
  /** ',' for CSV, '\t' for TSV; guessed from the content when absent. */
  delimiter?: string;
  /** Whether the first row names the columns; 'auto' guesses. Defaults to 'auto'. */
  header?: 'auto' | 'yes' | 'no';
  /** The text and label columns, by header name or 1-based number; guessed when absent. */
  textColumn?: string;
  labelColumn?: string;
}

export interface DelimitedTable {
  columns: string[];
  rows: string[][];
  hasHeader: boolean;
}

const TEXT_NAMES = ['text', 'sentence', 'review', 'content', 'message', 'body', 'document', 'comment', 'tweet'];
const LABEL_NAMES = ['label', 'labels', 'class', 'category', 'sentiment', 'target', 'y', 'topic', 'intent'];
const SEQ2SEQ_NAMES = ['source', 'target', 'src', 'tgt', 'input', 'output'];
/** Header and column guesses look at this many cells at most, so that a file of a million columns stays quick. */
const SAMPLE_CELLS = 2_000_000;

/** How many rows the guesses sample: up to 2,000, fewer when the rows are very wide. */
function sampleRows(rows: string[][], columns: number): string[][] {
  return rows.slice(0, Math.max(2, Math.min(2000, Math.floor(SAMPLE_CELLS / Math.max(1, columns)))));
}

export function looksLikeHeader(first: string[], rest: string[][]): boolean {
  const names = first.map((cell) => cell.trim().toLowerCase());
  if (names.some((name) => TEXT_NAMES.includes(name) || LABEL_NAMES.includes(name) || SEQ2SEQ_NAMES.includes(name)))
    return true;
  // A header cell names its column once; a label value repeats down the column. If some column repeats values
  // and the first row's value in it never appears below, the first row is a header.
  return first.some((cell, c) => {
    const below = sampleRows(rest, first.length).map((row) => row[c]);
    const distinct = new Set(below);
    return below.length > 1 && distinct.size < below.length && !distinct.has(cell);
  });
}

/** Parses CSV/TSV (quoted fields may hold delimiters, quotes and newlines) into named columns of equal length. */
export function parseDelimited(file: string, text: string, options: DelimitedTextOptions = {}): DelimitedTable {
  const parsed = Papa.parse<string[]>(text, {
    ...(options.delimiter ? { delimiter: options.delimiter } : { delimitersToGuess: [',', '\t', ';', '|'] }),
    skipEmptyLines: 'greedy',
  });
  const fatal = parsed.errors.find((e) => e.type === 'Quotes');
  if (fatal)
    throw new DatasetFileError(
      file,
      `row ${(fatal.row ?? 0) + 1}`,
      `${fatal.message.toLowerCase()} (a quote opened and never closed)`,
    );
  const rows = parsed.data;
  if (rows.length === 0) throw new DatasetFileError(file, null, 'the file holds no rows');
  const width = rows[0]!.length;
  for (const [r, row] of rows.entries()) {
    if (row.length !== width) {
      throw new DatasetFileError(
        file,
        `row ${r + 1}`,
        `${row.length} fields where the first row has ${width} (a stray delimiter or an unquoted field?)`,
      );
    }
    for (const cell of row) checkRecordLength(file, `row ${r + 1}`, cell);
  }
  const hasHeader = options.header === 'yes' || (options.header !== 'no' && looksLikeHeader(rows[0]!, rows.slice(1)));
  const columns = hasHeader
    ? rows[0]!.map((name, i) => name.trim() || `column ${i + 1}`)
    : rows[0]!.map((_, i) => `column ${i + 1}`);
  return { columns, rows: hasHeader ? rows.slice(1) : rows, hasHeader };
}

/** A column by header name or 1-based number, or a clear error listing the columns there are. */
export function findColumn(file: string, table: DelimitedTable, wanted: string, role: string): number {
  const byName = table.columns.findIndex((name) => name.toLowerCase() === wanted.trim().toLowerCase());
  if (byName >= 0) return byName;
  const number = Number(wanted);
  if (Number.isInteger(number) && number >= 1 && number <= table.columns.length) return number - 1;
  throw new DatasetFileError(
    file,
    null,
    `no ${role} column "${wanted}"; the columns are ${table.columns.map((c) => `"${c}"`).join(', ')}`,
  );
}

export function guessColumns(table: DelimitedTable): { text: number; label: number } {
  const named = (names: string[]) => table.columns.findIndex((c) => names.includes(c.toLowerCase()));
  const sample = sampleRows(table.rows, table.columns.length);
  const distinct = table.columns.map((_, c) => new Set(sample.map((row) => row[c])).size);
  const meanLength = table.columns.map(
    (_, c) => sample.reduce((sum, row) => sum + row[c]!.length, 0) / Math.max(1, sample.length),
  );
  let label = named(LABEL_NAMES);
  // The column with the fewest distinct values; a loop, not Math.min(...), which overflows the stack on wide files.
  if (label < 0) label = distinct.reduce((best, count, c) => (count < distinct[best]! ? c : best), 0);
  let text = named(TEXT_NAMES);
  if (text < 0 || text === label)
    text = meanLength
      .map((length, c) => (c === label ? -1 : length))
      .reduce((best, length, c, all) => (length > all[best]! ? c : best), 0);
  return { text, label };
}

/** A text-classification dataset from a CSV or TSV file. */
export function textClassificationFromDelimited(
  file: string,
  text: string,
  options: DelimitedTextOptions = {},
): TextClassificationData & { columns: string[]; textColumn: string; labelColumn: string } {
  const table = parseDelimited(file, text, options);
  if (table.columns.length < 2)
    throw new DatasetFileError(
      file,
      null,
      `only one column found; a text and a label column are needed (is the delimiter "${options.delimiter ?? ','}" right?)`,
    );
  const guessed = guessColumns(table);
  const textIndex = options.textColumn ? findColumn(file, table, options.textColumn, 'text') : guessed.text;
  const labelIndex = options.labelColumn ? findColumn(file, table, options.labelColumn, 'label') : guessed.label;
  if (textIndex === labelIndex)
    throw new DatasetFileError(
      file,
      null,
      `the text and the label are the same column ("${table.columns[textIndex]}")`,
    );
  const firstRow = table.hasHeader ? 2 : 1;
  const empty = table.rows.findIndex((row) => row[labelIndex]!.trim() === '');
  if (empty >= 0)
    throw new DatasetFileError(file, `row ${empty + firstRow}`, `the label ("${table.columns[labelIndex]}") is empty`);
  const labelColumn = table.columns[labelIndex]!;
  const indexed = indexLabels(
    file,
    `column "${labelColumn}"`,
    table.rows.map((row) => row[labelIndex]!.trim()),
  );
  return {
    ...indexed,
    texts: table.rows.map((row) => row[textIndex]!),
    columns: table.columns,
    textColumn: table.columns[textIndex]!,
    labelColumn,
  };
}
