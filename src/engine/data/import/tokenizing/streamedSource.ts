import Papa from 'papaparse';
import { suggestTokenizer } from '../../tokenizers/learnTokenizer';
import { DatasetFileError } from '../datasetFileError';
import { findColumn, guessColumns, looksLikeHeader, type DelimitedTextOptions } from '../delimitedText';
import { chunkRecords, type RecordLayout } from './chunkRecords';
import { delimiterOf, recordChunks } from './recordChunks';
import type { StreamedTokenizerKind } from './tokenizeProtocol';

/** Rows the header and column guesses look at, as the in-memory import samples. */
const SAMPLE_ROWS = 2000;

/** What the first chunk of a big text file decides: its layout, the columns, the tokenizer that suits its texts. */
export interface StreamedSource {
  layout: RecordLayout;
  /** CSV/TSV: every column found; the chosen two are named in the notes. */
  columns?: string[];
  textColumn: string;
  labelColumn: string;
  tokenizer: StreamedTokenizerKind;
}

/** The first chunk of whole records (about a megabyte): the sample every choice is made on. */
async function firstChunk(file: string, delimiter: string | null) {
  const chunks = recordChunks(file, delimiter, undefined, () => undefined);
  const { value } = await chunks.next();
  await chunks.return(undefined);
  if (!value || value.text.trim() === '') throw new DatasetFileError(file, null, 'the file holds no records');
  return value;
}

/**
 * Opens a CSV, TSV or JSON Lines file of labelled texts for streaming: the header and the text and label columns
 * guessed (or taken from the options) on its first rows, as the in-memory import guesses them on all of them.
 */
export async function openStreamedSource(
  file: string,
  format: 'csv' | 'tsv' | 'jsonl',
  options: DelimitedTextOptions,
): Promise<StreamedSource> {
  const delimiter = delimiterOf(format);
  const chunk = await firstChunk(file, delimiter);
  if (delimiter === null) {
    const layout: RecordLayout = { format: 'jsonl' };
    const { texts } = chunkRecords(file, chunk, layout, true);
    return { layout, textColumn: 'text', labelColumn: 'label', tokenizer: suggestTokenizer(texts) };
  }
  const sample = Papa.parse<string[]>(chunk.text, { delimiter, skipEmptyLines: 'greedy', preview: SAMPLE_ROWS }).data;
  if (sample.length === 0) throw new DatasetFileError(file, null, 'the file holds no rows');
  const width = sample[0]!.length;
  if (width < 2)
    throw new DatasetFileError(
      file,
      null,
      `only one column found; a text and a label column are needed (is the delimiter "${delimiter}" right?)`,
    );
  const header = options.header === 'yes' || (options.header !== 'no' && looksLikeHeader(sample[0]!, sample.slice(1)));
  const columns = sample[0]!.map((name, i) => (header && name.trim()) || `column ${i + 1}`);
  const table = { columns, rows: header ? sample.slice(1) : sample, hasHeader: header };
  const guessed = guessColumns(table);
  const textColumn = options.textColumn ? findColumn(file, table, options.textColumn, 'text') : guessed.text;
  const labelColumn = options.labelColumn ? findColumn(file, table, options.labelColumn, 'label') : guessed.label;
  if (textColumn === labelColumn)
    throw new DatasetFileError(file, null, `the text and the label are the same column ("${columns[textColumn]}")`);
  const labelName = columns[labelColumn]!;
  return {
    layout: { format, width, textColumn, labelColumn, labelName, header },
    columns,
    textColumn: columns[textColumn]!,
    labelColumn: labelName,
    tokenizer: suggestTokenizer(table.rows.map((row) => row[textColumn] ?? '')),
  };
}
