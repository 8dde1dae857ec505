import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { DatasetSummary } from '../../../shared/datasets';
import type { ImportOptions } from '../../../shared/datasetImport';
import { loadBuiltinDataset } from '../builtin/builtinDatasets';
import { BUILTIN_DATASETS } from '../builtin/catalog';
import { exampleCount } from '../split/datasetSplit';
import type { LoadedDataset } from '../datasetTypes';
import { importDataset, type ImportResult } from '../import/importDataset';
import type { ImportControl } from '../import/importProgress';
import { suggestTokenizer } from '../tokenizers/learnTokenizer';
import {
  closeShards,
  listStoredDatasets,
  loadStoredDataset,
  removeStoredDataset,
  writeDatasetFiles,
} from './storedDatasets';
import type { DecodePoolOptions } from '../import/decoding/decodePool';
import type { TokenizePoolOptions } from '../import/tokenizing/tokenizePool';
import { writeFolderAtomically } from '../../io/atomicWrite';

export interface DatasetFolders {
  /** Where built-in datasets that are slow to prepare keep a ready copy. */
  cacheDir: string;
  /** Where imported datasets are kept. */
  datasetsDir: string;
  /** The decode pool's settings for image imports: its built worker entry, its thread count. */
  decodePool?: DecodePoolOptions;
  /** The tokenize pool's settings for big text imports: its built worker entry, its thread count. */
  tokenizePool?: TokenizePoolOptions;
  /** Text files bigger than this stream into token-id shards (STREAM_TEXT_BYTES by default). */
  streamTextBytes?: number;
  /** Sharded images up to this many bytes load into memory; bigger ones stream (IN_MEMORY_BYTES by default). */
  inMemoryBytes?: number;
}

/** Where this process keeps its transient imports (the CLI's): a temporary folder, removed when the process exits. */
let transientFolder: string | null = null;
function transientDir(): string {
  if (!transientFolder) {
    const folder = mkdtempSync(join(tmpdir(), 'workbench-transient-'));
    process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
    transientFolder = folder;
  }
  return transientFolder;
}

/** What the dataset list shows about an imported dataset. */
export function summarizeImport(id: string, name: string, path: string, result: ImportResult): DatasetSummary {
  const { data } = result;
  const classNames =
    data.kind === 'text-classification' || data.kind === 'image-classification'
      ? data.classNames
      : data.kind === 'sequence-labelling'
        ? [...new Set(data.tags.flat())].sort()
        : [];
  const texts =
    data.kind === 'text-classification'
      ? (data.texts ?? [])
      : data.kind === 'seq2seq'
        ? data.sources
        : data.kind === 'sequence-labelling'
          ? data.sentences.map((s) => s.join(' '))
          : [];
  return {
    id,
    name,
    task: data.kind,
    description: `Imported from ${path} (${result.format})`,
    source: path,
    classNames,
    examples: exampleCount(data),
    origin: 'imported',
    ...(data.kind === 'image-classification'
      ? { imageShape: { height: data.height, width: data.width, channels: data.channels } }
      : {}),
    ...(data.kind === 'seq2seq' || (data.kind === 'text-classification' && data.shards)
      ? { defaultTokenizer: data.tokenizer }
      : texts.length > 0
        ? { defaultTokenizer: suggestTokenizer(texts) }
        : {}),
    ...('fileSplit' in data && data.fileSplit ? { hasFileSplit: true } : {}),
    importedFrom: { path, format: result.format },
    notes: result.notes,
    ...(result.columns ? { columns: result.columns } : {}),
    ...('shards' in data && data.shards
      ? { shards: { count: data.shards.index.shards.length, bytes: data.shards.count * data.shards.recordBytes } }
      : {}),
  };
}

/**
 * Every dataset the app can train on: the built-in ones and those the user imported, each loaded at most once per
 * process (a dataset is never changed after import; a new import is a new dataset).
 */
export class DatasetLibrary {
  private readonly loaded = new Map<string, Promise<LoadedDataset>>();
  private readonly transient = new Map<string, DatasetSummary>();

  constructor(readonly folders: DatasetFolders) {}

  /** A dataset this process imported for itself only: another thread's library cannot load it. */
  isTransient(id: string): boolean {
    return this.transient.has(id);
  }

  async list(): Promise<DatasetSummary[]> {
    return [...BUILTIN_DATASETS, ...(await listStoredDatasets(this.folders.datasetsDir)), ...this.transient.values()];
  }

  async summary(id: string): Promise<DatasetSummary | undefined> {
    return (await this.list()).find((d) => d.id === id);
  }

  load(id: string): Promise<LoadedDataset> {
    let data = this.loaded.get(id);
    if (!data) {
      data = BUILTIN_DATASETS.some((d) => d.id === id)
        ? loadBuiltinDataset(id, this.folders.cacheDir)
        : this.summary(id).then((summary) => {
            if (!summary) throw new Error(`unknown dataset "${id}"`);
            return loadStoredDataset(
              this.isTransient(id) ? transientDir() : this.folders.datasetsDir,
              id,
              this.folders.inMemoryBytes,
            );
          });
      this.loaded.set(id, data);
      data.catch(() => this.loaded.delete(id));
    }
    return data;
  }

  /**
   * Imports a file or folder and keeps it: in the data folder (the app), or for this process only (the CLI, which
   * must not fill the app's folder with a copy of every file it is pointed at). The dataset is written into a
   * temporary folder as it is read (an image folder's shards as they decode) and renamed into place when whole: a
   * failed or cancelled import leaves nothing.
   */
  async import(
    path: string,
    options: ImportOptions,
    control: ImportControl = {},
    keep: 'stored' | 'transient' = 'stored',
  ): Promise<DatasetSummary & Pick<ImportResult, 'decoding' | 'streamed'>> {
    const name = options.name ?? basename(path.replace(/[\\/]+$/, ''));
    const slug =
      name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '')
        .slice(0, 40) || 'dataset';
    const id = `imported-${slug}-${randomBytes(3).toString('hex')}`;
    const parent = keep === 'stored' ? this.folders.datasetsDir : transientDir();
    await mkdir(parent, { recursive: true });
    let summary: DatasetSummary | null = null;
    let result: ImportResult | null = null;
    await writeFolderAtomically(fs, join(parent, id), async (folder) => {
      result = await importDataset(path, options, control, {
        folder,
        ...(this.folders.decodePool ? { pool: this.folders.decodePool } : {}),
        ...(this.folders.tokenizePool ? { tokenizePool: this.folders.tokenizePool } : {}),
        ...(this.folders.streamTextBytes !== undefined ? { streamTextBytes: this.folders.streamTextBytes } : {}),
      });
      summary = summarizeImport(id, name, path, result);
      try {
        await writeDatasetFiles(folder, summary, result.data);
      } finally {
        closeShards(result.data);
      }
    });
    const done = result as ImportResult | null;
    if (!summary || !done) throw new Error('the import ended without a dataset');
    if (keep === 'transient') this.transient.set(id, summary);
    // Data in memory stay loaded; sharded data are opened again from their final folder when first needed.
    if (!('shards' in done.data && done.data.shards)) this.loaded.set(id, Promise.resolve(done.data));
    return {
      ...(summary as DatasetSummary),
      ...(done.decoding ? { decoding: done.decoding } : {}),
      ...(done.streamed ? { streamed: done.streamed } : {}),
    };
  }

  async remove(id: string): Promise<boolean> {
    const summary = await this.summary(id);
    if (!summary || summary.origin !== 'imported') return false;
    const loaded = this.loaded.get(id);
    this.loaded.delete(id);
    // A sharded dataset's reader holds its shards open: closed before its folder goes.
    await loaded?.then(closeShards).catch(() => undefined);
    const transient = this.transient.delete(id);
    await removeStoredDataset(transient ? transientDir() : this.folders.datasetsDir, id);
    return true;
  }
}
