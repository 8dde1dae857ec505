import type { Stats } from 'node:fs';
import type { ImportOptions } from '../../../shared/datasetImport';
import type { LoadedDataset } from '../datasetTypes';
import { importCifarBinary } from './cifarBinary';
import { parseConll } from './conll';
import { DatasetFileError } from './datasetFileError';
import { textClassificationFromDelimited } from './delimitedText';
import { detectFormat, type ConcreteFormat } from './detectFormat';
import { importImageFolder } from './imageFolder';
import type { ImportControl } from './importProgress';
import { parseJsonLines } from './jsonLines';
import { indexLabels } from './classLabels';
import { importMnistIdx } from './mnistIdx';
import { readTextFile } from './readText';
import { seq2seqFromJsonLines, seq2seqFromTsv } from './seq2seqPairs';
import { statUserPath } from './userFile';

export interface ImportResult {
  data: LoadedDataset;
  format: ConcreteFormat;
  /** What the user should know: skipped files, the columns chosen. */
  notes: string[];
  columns?: string[];
}

function readText(path: string, info: Stats, control: ImportControl): Promise<string> {
  if (info.isDirectory()) throw new DatasetFileError(path, null, 'is a folder; this format is read from one file');
  return readTextFile(path, control.signal);
}

/** Reads a file or folder in the given format (or the detected one) into a dataset in memory. */
export async function importDataset(
  path: string,
  options: ImportOptions,
  control: ImportControl = {},
): Promise<ImportResult> {
  const info = await statUserPath(path);
  const format = options.format === 'auto' ? await detectFormat(path, info) : options.format;
  switch (format) {
    case 'image-folder': {
      const { skipped, ...data } = await importImageFolder(
        path,
        { height: options.imageHeight, width: options.imageWidth, channels: options.channels },
        control,
      );
      const notes =
        skipped.length > 0
          ? [
              `${skipped.length} files could not be decoded and were skipped: ${skipped.map((s) => `${s.file} (${s.reason})`).join('; ')}`,
            ]
          : [];
      return { data, format, notes };
    }
    case 'mnist-idx':
      return { data: await importMnistIdx(path, control), format, notes: [] };
    case 'cifar10-binary':
      return { data: await importCifarBinary(path, control), format, notes: [] };
    case 'csv':
    case 'tsv': {
      const delimiter = format === 'tsv' ? '\t' : ',';
      const { columns, textColumn, labelColumn, ...data } = textClassificationFromDelimited(
        path,
        await readText(path, info, control),
        {
          delimiter,
          header: options.header,
          ...(options.textColumn ? { textColumn: options.textColumn } : {}),
          ...(options.labelColumn ? { labelColumn: options.labelColumn } : {}),
        },
      );
      return {
        data: { kind: 'text-classification', ...data },
        format,
        notes: [`text from column "${textColumn}", labels from column "${labelColumn}"`],
        columns,
      };
    }
    case 'jsonl': {
      const records = parseJsonLines(path, await readText(path, info, control), ['text', 'label']);
      const indexed = indexLabels(
        path,
        'field "label"',
        records.map((r) => r.label.trim()),
      );
      return {
        data: { kind: 'text-classification', ...indexed, texts: records.map((r) => r.text) },
        format,
        notes: [],
      };
    }
    case 'conll':
      return { data: parseConll(path, await readText(path, info, control)), format, notes: [] };
    case 'seq2seq-tsv':
      return { data: seq2seqFromTsv(path, await readText(path, info, control)), format, notes: [] };
    case 'seq2seq-jsonl':
      return { data: seq2seqFromJsonLines(path, await readText(path, info, control)), format, notes: [] };
  }
}
