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
import { importStreamedText } from './tokenizing/streamedText';
import type { TokenizePoolOptions } from './tokenizing/tokenizePool';

export interface ImportResult {
  data: LoadedDataset;
  format: ConcreteFormat;
  /** What the user should know: skipped files, the columns chosen. */
  notes: string[];
  columns?: string[];
  /** Image folders: how the decoding went, for the CLI's report. */
  decoding?: { images: number; decoder: string; processes: number; peakMemoryBytes: number };
  /** Text streamed into shards: how many texts and tokens, for the CLI's report. */
  streamed?: { texts: number; tokens: number };
}

/** Where an import may write: the folder the dataset is being written to, and its thread pools' settings. */
export interface ImportTarget {
  folder: string;
  pool?: DecodePoolOptions;
  tokenizePool?: TokenizePoolOptions;
  /** CSV/TSV/JSONL files bigger than this are streamed into token-id shards; STREAM_TEXT_BYTES by default. */
  streamTextBytes?: number;
}

/**
 * Text files up to this size are read whole and kept as text (any tokenizer, learnt per run); bigger ones are
 * streamed into shards of token ids. WORKBENCH_STREAM_TEXT_BYTES overrides it (tests, benches).
 */
export const STREAM_TEXT_BYTES = Number(process.env['WORKBENCH_STREAM_TEXT_BYTES'] ?? 64 * 1024 * 1024);

async function streamedText(
  path: string,
  format: 'csv' | 'tsv' | 'jsonl',
  options: ImportOptions,
  control: ImportControl,
  target: ImportTarget,
): Promise<ImportResult> {
  const imported = await importStreamedText(
    path,
    format,
    {
      header: options.header,
      maxTokens: options.maxTokens,
      ...(options.textColumn ? { textColumn: options.textColumn } : {}),
      ...(options.labelColumn ? { labelColumn: options.labelColumn } : {}),
    },
    target.folder,
    control,
    target.tokenizePool,
  );
  const { classNames, labels, lengths, tokenizer, vocabulary, maxTokens } = imported;
  const data = {
    kind: 'text-classification' as const,
    classNames,
    labels,
    lengths,
    tokenizer,
    vocabulary: { ...vocabulary, total: imported.tokens },
    maxTokens,
    shards: await ShardReader.open(target.folder),
  };
  return {
    data,
    format,
    notes: imported.notes,
    ...(imported.columns ? { columns: imported.columns } : {}),
    streamed: { texts: labels.length, tokens: imported.tokens },
  };
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

/** A CSV, TSV or JSON Lines file of labelled texts, read whole and kept as text. */
async function textClassificationInMemory(
  path: string,
  format: 'csv' | 'tsv' | 'jsonl',
  info: Stats,
  options: ImportOptions,
  control: ImportControl,
): Promise<ImportResult> {
  if (format === 'jsonl') {
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
  const { columns, textColumn, labelColumn, ...data } = textClassificationFromDelimited(
    path,
    await readText(path, info, control),
    {
      delimiter: format === 'tsv' ? '\t' : ',',
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
      const { name, processes, peakMemoryBytes } = imported.decoder;
      const decoding = { images: labels.length, decoder: name, processes, peakMemoryBytes };
      return { data, format, notes, decoding };
    }
    case 'mnist-idx':
      return { data: await importMnistIdx(path, control), format, notes: [] };
    case 'cifar10-binary':
      return { data: await importCifarBinary(path, control), format, notes: [] };
    case 'csv':
    case 'tsv':
    case 'jsonl':
      if (target && !info.isDirectory() && info.size > (target.streamTextBytes ?? STREAM_TEXT_BYTES))
        return streamedText(path, format, options, control, target);
      return textClassificationInMemory(path, format, info, options, control);
    case 'conll':
      return { data: parseConll(path, await readText(path, info, control)), format, notes: [] };
    case 'seq2seq-tsv':
      return { data: seq2seqFromTsv(path, await readText(path, info, control)), format, notes: [] };
    case 'seq2seq-jsonl':
      return { data: seq2seqFromJsonLines(path, await readText(path, info, control)), format, notes: [] };
  }
}
