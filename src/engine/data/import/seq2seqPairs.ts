import type { Seq2seqData } from '../datasetTypes';
import { suggestTokenizer } from '../tokenizers/learnTokenizer';
import { DatasetFileError } from './datasetFileError';
import { parseDelimited } from './delimitedText';
import { parseJsonLines } from './jsonLines';

function pairs(sources: string[], targets: string[]): Seq2seqData {
  return {
    kind: 'seq2seq',
    sources,
    targets,
    tokenizer: suggestTokenizer([...sources.slice(0, 200), ...targets.slice(0, 200)]),
  };
}

/** Source/target pairs from a TSV file: the first column is the source, the second the target. */
export function seq2seqFromTsv(file: string, text: string): Seq2seqData {
  const table = parseDelimited(file, text, { delimiter: '\t' });
  if (table.columns.length !== 2) {
    throw new DatasetFileError(
      file,
      null,
      `${table.columns.length} columns; a seq2seq TSV has two, the source and the target, separated by a tab`,
    );
  }
  const firstRow = table.hasHeader ? 2 : 1;
  const empty = table.rows.findIndex((row) => row[0]!.trim() === '' || row[1]!.trim() === '');
  if (empty >= 0) throw new DatasetFileError(file, `row ${empty + firstRow}`, 'an empty source or target');
  return pairs(
    table.rows.map((row) => row[0]!),
    table.rows.map((row) => row[1]!),
  );
}

/** Source/target pairs from JSON Lines: {"source": ..., "target": ...}. */
export function seq2seqFromJsonLines(file: string, text: string): Seq2seqData {
  const records = parseJsonLines(file, text, ['source', 'target']);
  return pairs(
    records.map((r) => r.source),
    records.map((r) => r.target),
  );
}
