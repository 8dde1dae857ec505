import type { ImportFormat } from './datasetImport';
import type { Task } from './architecture/modelSpec';
import type { TokenizerKind } from './tokenizerSettings';

/** What the app shows about a dataset before loading it. */
export interface DatasetSummary {
  id: string;
  name: string;
  task: Task;
  description: string;
  /** Where the data comes from and under which licence. */
  source: string;
  classNames: string[];
  examples: number;
  /** Shipped with the app, or imported by the user (kept in the app's data folder). */
  origin: 'builtin' | 'imported';
  /** Image datasets: the size of every image. */
  imageShape?: { height: number; width: number; channels: number };
  /** The tokenizer that suits the text (characters for Chinese and Japanese, words otherwise). */
  defaultTokenizer?: TokenizerKind;
  /** The files came split into train and test (MNIST's t10k files, CIFAR's test_batch). */
  hasFileSplit?: boolean;
  /** Imported datasets: where from, how, and what the import had to say (skipped files, chosen columns). */
  importedFrom?: { path: string; format: ImportFormat };
  notes?: string[];
  /** CSV/TSV imports: the columns of the file, to pick the text and label from. */
  columns?: string[];
  /** Image folders: kept on disk as shards (how many, their bytes); above the in-memory size, trained from there. */
  shards?: { count: number; bytes: number };
}
