import { z } from 'zod';

/** The file formats the app imports; 'auto' tells them apart by the path and the first bytes. */
export const IMPORT_FORMATS = [
  'auto',
  'image-folder',
  'mnist-idx',
  'cifar10-binary',
  'csv',
  'tsv',
  'jsonl',
  'conll',
  'seq2seq-tsv',
  'seq2seq-jsonl',
] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export const importOptionsSchema = z
  .object({
    format: z.enum(IMPORT_FORMATS).default('auto'),
    /** Shown in the dataset list; the file or folder name when absent. */
    name: z.string().min(1).max(120).optional(),
    /** Image folders: the size every image is resized to, and 1 (grey) or 3 (colour) channels. */
    imageHeight: z.number().int().min(4).max(512).default(32),
    imageWidth: z.number().int().min(4).max(512).default(32),
    channels: z.union([z.literal(1), z.literal(3)]).default(3),
    /** CSV/TSV: whether the first row names the columns, and which columns hold the text and the label. */
    header: z.enum(['auto', 'yes', 'no']).default('auto'),
    textColumn: z.string().min(1).max(200).optional(),
    labelColumn: z.string().min(1).max(200).optional(),
    /** Text files streamed into shards (the big ones): the tokens kept of each text, the rest cut when stored. */
    maxTokens: z.number().int().min(8).max(4096).default(256),
  })
  .strict();
export type ImportOptions = z.infer<typeof importOptionsSchema>;

export const importId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an import id is letters, digits, _ or -');

export const datasetImportRequestSchema = z
  .object({
    /** Chosen by the caller, so that it can cancel the import while it runs. */
    importId,
    path: z.string().min(1).max(4096),
    options: importOptionsSchema.default(importOptionsSchema.parse({})),
  })
  .strict();
export type DatasetImportRequest = z.infer<typeof datasetImportRequestSchema>;

/** Pushed while an import runs. */
export interface ImportProgressEvent {
  importId: string;
  phase: string;
  done: number;
  /** 0 while the total is still being counted. */
  total: number;
  /** Items per second in this phase. */
  rate: number;
  /** Seconds left at that rate; null while it cannot be told. */
  etaSeconds: number | null;
}
