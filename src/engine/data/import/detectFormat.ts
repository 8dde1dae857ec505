import type { Stats } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { ImportFormat } from '../../../shared/datasetImport';
import { DatasetFileError } from './datasetFileError';
import { readFileHead } from './userFile';

export type ConcreteFormat = Exclude<ImportFormat, 'auto'>;

async function firstLine(path: string): Promise<string> {
  const head = await readFileHead(path, 4096);
  return (
    new TextDecoder()
      .decode(head)
      .split(/\r?\n/)
      .find((l) => l.trim() !== '') ?? ''
  );
}

/**
 * Which loader reads a path: folders by what they hold (CIFAR batches, IDX files, or class folders of images),
 * files by extension and, for TSV and JSON Lines, by their first record (source/target pairs are seq2seq).
 */
export async function detectFormat(path: string, info: Stats): Promise<ConcreteFormat> {
  if (info.isDirectory()) {
    const names = await readdir(path);
    if (names.some((n) => /^(data_batch_\d+|test_batch)\.bin$/.test(n))) return 'cifar10-binary';
    if (names.some((n) => /idx3-ubyte/.test(n))) return 'mnist-idx';
    return 'image-folder';
  }
  const name = basename(path).toLowerCase();
  if (/idx[13]-ubyte/.test(name)) return 'mnist-idx';
  const extension = extname(name);
  if (extension === '.bin') return 'cifar10-binary';
  if (extension === '.csv') return 'csv';
  const first = await firstLine(path);
  if (extension === '.tsv')
    return /^\s*(source|src|input)\t(target|tgt|output)\s*$/i.test(first) ? 'seq2seq-tsv' : 'tsv';
  if (extension === '.jsonl' || extension === '.ndjson') return /"source"\s*:/.test(first) ? 'seq2seq-jsonl' : 'jsonl';
  if (['.conll', '.conllu', '.iob', '.bio', '.txt'].includes(extension)) return 'conll';
  throw new DatasetFileError(
    path,
    null,
    `cannot tell the format of a "${extension || 'extensionless'}" file; choose one`,
  );
}
