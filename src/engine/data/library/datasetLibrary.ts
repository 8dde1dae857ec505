import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import type { DatasetSummary } from '../../../shared/datasets';
import type { ImportOptions } from '../../../shared/datasetImport';
import { loadBuiltinDataset } from '../builtin/builtinDatasets';
import { BUILTIN_DATASETS } from '../builtin/catalog';
import { exampleCount } from '../split/datasetSplit';
import type { LoadedDataset } from '../datasetTypes';
import { importDataset, type ImportResult } from '../import/importDataset';
import type { ImportControl } from '../import/importProgress';
import { suggestTokenizer } from '../tokenizers/learnTokenizer';
import { listStoredDatasets, loadStoredDataset, removeStoredDataset, saveDataset } from './storedDatasets';

export interface DatasetFolders {
  /** Where built-in datasets that are slow to prepare keep a ready copy. */
  cacheDir: string;
  /** Where imported datasets are kept. */
  datasetsDir: string;
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
      ? data.texts
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
    ...(data.kind === 'seq2seq'
      ? { defaultTokenizer: data.tokenizer }
      : texts.length > 0
        ? { defaultTokenizer: suggestTokenizer(texts) }
        : {}),
    ...('fileSplit' in data && data.fileSplit ? { hasFileSplit: true } : {}),
    importedFrom: { path, format: result.format },
    notes: result.notes,
    ...(result.columns ? { columns: result.columns } : {}),
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
            return loadStoredDataset(this.folders.datasetsDir, id);
          });
      this.loaded.set(id, data);
      data.catch(() => this.loaded.delete(id));
    }
    return data;
  }

  /**
   * Imports a file or folder and keeps it: in the data folder (the app), or for this process only (the CLI, which
   * must not fill the app's folder with a copy of every file it is pointed at).
   */
  async import(
    path: string,
    options: ImportOptions,
    control: ImportControl = {},
    keep: 'stored' | 'transient' = 'stored',
  ): Promise<DatasetSummary> {
    const result = await importDataset(path, options, control);
    const name = options.name ?? basename(path.replace(/[\\/]+$/, ''));
    const slug =
      name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '')
        .slice(0, 40) || 'dataset';
    const summary = summarizeImport(`imported-${slug}-${randomBytes(3).toString('hex')}`, name, path, result);
    if (keep === 'stored') await saveDataset(this.folders.datasetsDir, summary, result.data);
    else this.transient.set(summary.id, summary);
    this.loaded.set(summary.id, Promise.resolve(result.data));
    return summary;
  }

  async remove(id: string): Promise<boolean> {
    const summary = await this.summary(id);
    if (!summary || summary.origin !== 'imported') return false;
    this.loaded.delete(id);
    this.transient.delete(id);
    await removeStoredDataset(this.folders.datasetsDir, id);
    return true;
  }
}
