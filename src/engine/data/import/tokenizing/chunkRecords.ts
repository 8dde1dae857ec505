import Papa from 'papaparse';
import { DatasetFileError } from '../datasetFileError';
import { jsonRecord } from '../jsonLines';
import { checkRecordLength, MAX_RECORD_CHARS } from '../readText';
import { delimiterOf, type RecordChunk } from './recordChunks';

/** How a file's records are laid out: JSON Lines' "text" and "label", or the two chosen columns of a CSV/TSV. */
export type RecordLayout =
  | { format: 'jsonl' }
  | {
      format: 'csv' | 'tsv';
      /** Fields every row has (the first row's). */
      width: number;
      textColumn: number;
      labelColumn: number;
      labelName: string;
      /** The first chunk starts with the header row, which is not a record. */
      header: boolean;
    };

/** A chunk's records: texts and labels (trimmed), in file order. */
export interface ChunkRecords {
  texts: string[];
  labels: string[];
}

/** The line a CSV row starts on: rows before it may span lines (quoted newlines), so Papa's cursor tells. */
function lineOfRow(chunk: RecordChunk, format: 'csv' | 'tsv', row: number): number {
  let cursor = 0;
  let seen = 0;
  Papa.parse<string[]>(chunk.text, {
    delimiter: delimiterOf(format),
    skipEmptyLines: 'greedy',
    step: (result, parser) => {
      if (seen++ === row) {
        parser.abort();
        return;
      }
      cursor = result.meta.cursor;
    },
  });
  // The row starts at the first visible character after the previous one ended (blank lines are skipped).
  const start = cursor + Math.max(0, chunk.text.slice(cursor).search(/\S/));
  return chunk.firstLine + (chunk.text.slice(0, start).match(/\n/g)?.length ?? 0);
}

function jsonLineRecords(file: string, chunk: RecordChunk): ChunkRecords {
  const records: ChunkRecords = { texts: [], labels: [] };
  const lines = chunk.text.split('\n');
  lines.forEach((content, i) => {
    const text = content.endsWith('\r') ? content.slice(0, -1) : content;
    if (text.trim() === '') return;
    const line = chunk.firstLine + i;
    checkRecordLength(file, `line ${line}`, text);
    const record = jsonRecord(file, line, text, ['text', 'label'] as const);
    records.texts.push(record.text);
    records.labels.push(record.label.trim());
  });
  return records;
}

/**
 * The labelled texts of one chunk of whole records, parsed as the in-memory import parses a file (Papa Parse for
 * CSV/TSV, JSON.parse per line): a row of the wrong width, an empty label or a line that is not a JSON object is
 * an error naming its line.
 */
export function chunkRecords(file: string, chunk: RecordChunk, layout: RecordLayout, first: boolean): ChunkRecords {
  if (layout.format === 'jsonl') return jsonLineRecords(file, chunk);
  const parsed = Papa.parse<string[]>(chunk.text, { delimiter: delimiterOf(layout.format), skipEmptyLines: 'greedy' });
  const where = (row: number) => `line ${lineOfRow(chunk, layout.format, row)}`;
  const fatal = parsed.errors.find((e) => e.type === 'Quotes');
  if (fatal) throw new DatasetFileError(file, where(fatal.row ?? 0), 'a quote opened and never closed');
  const records: ChunkRecords = { texts: [], labels: [] };
  const skip = first && layout.header ? 1 : 0;
  for (let r = skip; r < parsed.data.length; r++) {
    const row = parsed.data[r]!;
    if (row.length !== layout.width)
      throw new DatasetFileError(
        file,
        where(r),
        `${row.length} fields where the first row has ${layout.width} (a stray delimiter or an unquoted field?)`,
      );
    const text = row[layout.textColumn]!;
    const label = row[layout.labelColumn]!.trim();
    if (text.length > MAX_RECORD_CHARS) checkRecordLength(file, where(r), text);
    if (label === '') throw new DatasetFileError(file, where(r), `the label ("${layout.labelName}") is empty`);
    records.texts.push(text);
    records.labels.push(label);
  }
  return records;
}
