import type { Stats } from 'node:fs';
import type { ImportOptions } from '../../../shared/datasetImport';
import type { LoadedDataset } from '../datasetTypes';
import { importCifarBinary } from './cifarBinary';
import { parseConll } from './conll';
import { DatasetFileError } from './datasetFileError';
import { textClassificationFromDelimited } from './delimitedText';
import { detectFormat, type ConcreteFormat } from './detectFormat';
import { importImageFolder, type SkippedFile } from './imageFolder';
import type { DecodePoolOptions } from './decoding/decodePool';
import { ShardReader } from '../shards/shardReader';
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
  /** Image folders: how the decoding went, for the CLI's report. */
  decoding?: { images: number; decoder: string };
}

/** Where an import may write: the folder the dataset is being written to, and the decode pool's settings. */
export interface ImportTarget {
  folder: string;
  pool?: DecodePoolOptions;
}

function skippedNote(skipped: SkippedFile[], count: number): string[] {
  if (count === 0) return [];
  const more = count > skipped.length ? `; and ${count - skipped.length} more` : '';
  return [
    `${count} files could not be decoded and were skipped: ${skipped.map((s) => `${s.file} (${s.reason})`).join('; ')}${more}`,
  ];
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
  /** Required for image folders, which are decoded straight into shards there. */
  target?: ImportTarget,
): Promise<ImportResult> {
  const info = await statUserPath(path);
  const format = options.format === 'auto' ? await detectFormat(path, info) : options.format;
  switch (format) {
    case 'image-folder': {
      if (!target) throw new Error('an image folder is imported into a folder of shards, and none was given');
      const imported = await importImageFolder(
        path,
        target.folder,
        { height: options.imageHeight, width: options.imageWidth, channels: options.channels },
        control,
        target.pool,
      );
      const { classNames, labels, meanPixel } = imported;
      const data = {
        kind: 'image-classification' as const,
        ...imported.target,
        classNames,
        labels,
        meanPixel,
        shards: await ShardReader.open(target.folder),
      };
      const notes = [
        ...skippedNote(imported.skipped, imported.skippedCount),
        ...(imported.decoder.note ? [imported.decoder.note] : []),
      ];
      const decoding = { images: labels.length, decoder: imported.decoder.name };
      return { data, format, notes, decoding };
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
