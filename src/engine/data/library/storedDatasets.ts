import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetSummary } from '../../../shared/datasets';
import type { LoadedDataset, ShardedTextClassificationData } from '../datasetTypes';
import { isAbandonedTemporary, temporaryWriter } from '../../io/atomicWrite';
import { SHARD_LABELS, SHARD_LENGTHS } from '../shards/shardFormat';
import { ShardError, ShardReader } from '../shards/shardReader';

/**
 * Imported datasets kept in the app's data folder, one folder each: summary.json, data.json (texts, tags, image
 * sizes) and the image bytes, as raw .bin files or as shards (shards.json, shard-*.bin, labels.bin; an image
 * folder's import writes them as it decodes). A dataset is written under a temporary name and renamed when
 * complete, so that a crash mid-import never leaves a half dataset that looks whole; the source files may then move
 * or vanish without the dataset going with them.
 */

const SUMMARY = 'summary.json';
/**
 * Sharded images up to this many bytes are read into memory when loaded (CIFAR-10 at 32x32 is 180 MB); above it
 * they stay on disk and training streams them. WORKBENCH_IN_MEMORY_BYTES overrides it (tests, benches).
 */
export const IN_MEMORY_BYTES = Number(process.env['WORKBENCH_IN_MEMORY_BYTES'] ?? 512 * 1024 * 1024);

function withoutArrays(data: LoadedDataset): unknown {
  if (data.kind === 'image-classification') {
    if (data.shards) {
      const { shards: _shards, labels: _labels, ...rest } = data;
      return { ...rest, storage: 'shards' };
    }
    const { pixels: _pixels, labels: _labels, fileSplit: _split, ...rest } = data;
    return rest;
  }
  if (data.kind === 'text-classification') {
    if (data.shards) {
      const { shards: _shards, labels: _labels, lengths: _lengths, ...rest } = data;
      return { ...rest, storage: 'shards' };
    }
    const { labels, fileSplit, ...rest } = data;
    return { ...rest, labels: [...labels], ...(fileSplit ? { fileSplit: [...fileSplit] } : {}) };
  }
  return data;
}

/**
 * Writes a dataset's files into `folder` (already the temporary folder of an atomic write): its arrays, data.json,
 * and summary.json last, since a folder without one is not a dataset. Sharded images are already there.
 */
export async function writeDatasetFiles(folder: string, summary: DatasetSummary, data: LoadedDataset): Promise<void> {
  await writeFile(join(folder, 'data.json'), JSON.stringify(withoutArrays(data)));
  if (data.kind === 'image-classification' && !data.shards) {
    await writeFile(join(folder, 'pixels.bin'), data.pixels);
    await writeFile(
      join(folder, 'labels.bin'),
      new Uint8Array(data.labels.buffer, data.labels.byteOffset, data.labels.byteLength),
    );
    if (data.fileSplit) await writeFile(join(folder, 'split.bin'), data.fileSplit);
  }
  await writeFile(join(folder, SUMMARY), JSON.stringify(summary));
}

const int32s = (bytes: Buffer) =>
  new Int32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));

/** Sharded images: into memory when small (then they train as any other set), else left on disk behind a reader. */
async function loadShardedImages(
  dir: string,
  data: { classNames: string[]; height: number; width: number; channels: number; meanPixel: number[] },
  inMemoryBytes: number,
): Promise<LoadedDataset> {
  const shards = await ShardReader.open(dir);
  const labels = int32s(await readFile(join(dir, SHARD_LABELS)));
  if (labels.length !== shards.count) {
    shards.close();
    throw new ShardError(dir, SHARD_LABELS, `holds ${labels.length} labels for ${shards.count} records`);
  }
  const { classNames, height, width, channels, meanPixel } = data;
  const base = { kind: 'image-classification' as const, classNames, height, width, channels, labels };
  if (shards.count * shards.recordBytes <= inMemoryBytes) {
    try {
      return { ...base, pixels: await shards.readAll() };
    } finally {
      shards.close();
    }
  }
  return { ...base, shards, meanPixel };
}

/** Texts stored as token ids: always left on disk behind a reader (only a big file is stored this way). */
async function loadShardedText(
  dir: string,
  data: Pick<ShardedTextClassificationData, 'classNames' | 'tokenizer' | 'vocabulary' | 'maxTokens'>,
): Promise<LoadedDataset> {
  const shards = await ShardReader.open(dir);
  const labels = int32s(await readFile(join(dir, SHARD_LABELS)));
  const lengths = new Uint32Array(int32s(await readFile(join(dir, SHARD_LENGTHS))).buffer);
  for (const [file, count] of [
    [SHARD_LABELS, labels.length],
    [SHARD_LENGTHS, lengths.length],
  ] as const) {
    if (count !== shards.count) {
      shards.close();
      throw new ShardError(dir, file, `holds ${count} values for ${shards.count} records`);
    }
  }
  const { classNames, tokenizer, vocabulary, maxTokens } = data;
  return { kind: 'text-classification', classNames, labels, shards, lengths, tokenizer, vocabulary, maxTokens };
}

/** Closes the reader a sharded dataset holds its shards open with (before its folder goes). */
export function closeShards(data: LoadedDataset): void {
  if ('shards' in data) data.shards?.close();
}

export async function loadStoredDataset(
  folder: string,
  id: string,
  inMemoryBytes = IN_MEMORY_BYTES,
): Promise<LoadedDataset> {
  const dir = join(folder, id);
  const data = JSON.parse(await readFile(join(dir, 'data.json'), 'utf8')) as LoadedDataset & {
    labels: number[] | Int32Array;
    fileSplit?: number[];
    storage?: 'shards';
    meanPixel: number[];
  };
  if (data.kind === 'image-classification') {
    if (data.storage === 'shards') return loadShardedImages(dir, data, inMemoryBytes);
    const labels = await readFile(join(dir, 'labels.bin'));
    const split = await readFile(join(dir, 'split.bin')).catch(() => null);
    const { storage: _storage, meanPixel: _mean, ...stored } = data;
    return {
      ...(stored as Omit<typeof stored, 'pixels' | 'shards'>),
      pixels: new Uint8Array(await readFile(join(dir, 'pixels.bin'))),
      labels: int32s(labels),
      ...(split ? { fileSplit: new Uint8Array(split) } : {}),
    };
  }
  if (data.kind === 'text-classification') {
    if (data.storage === 'shards') return loadShardedText(dir, data as unknown as ShardedTextClassificationData);
    const { classNames, texts, labels, fileSplit } = data as unknown as { texts: string[] } & typeof data;
    return {
      kind: 'text-classification',
      classNames,
      texts,
      labels: Int32Array.from(labels),
      ...(fileSplit ? { fileSplit: Uint8Array.from(fileSplit) } : {}),
    };
  }
  return data;
}

/**
 * The summaries of every complete stored dataset; unreadable folders are skipped with a message, not fatal. An
 * import's temporary folder whose process is gone (a crash, a kill mid-import) is removed: its shards may be
 * gigabytes that no one will finish.
 */
export async function listStoredDatasets(folder: string): Promise<DatasetSummary[]> {
  const names = await readdir(folder).catch(() => [] as string[]);
  for (const name of names) {
    if (isAbandonedTemporary(name)) {
      console.error(`[datasets] removing ${name}: the import that wrote it (process ${temporaryWriter(name)}) is gone`);
      await rm(join(folder, name), { recursive: true, force: true });
    }
  }
  const summaries: DatasetSummary[] = [];
  // Folders being written (or left by a crash) are not datasets; .partial is how earlier versions named them.
  for (const name of names.filter((n) => temporaryWriter(n) === null && !n.endsWith('.partial')).sort()) {
    try {
      summaries.push(JSON.parse(await readFile(join(folder, name, SUMMARY), 'utf8')) as DatasetSummary);
    } catch (error) {
      console.error(`[datasets] skipped ${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return summaries;
}

export async function removeStoredDataset(folder: string, id: string): Promise<void> {
  await rm(join(folder, id), { recursive: true, force: true });
}
