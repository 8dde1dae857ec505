import * as fs from 'node:fs/promises';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetSummary } from '../../../shared/datasets';
import type { LoadedDataset } from '../datasetTypes';
import { temporaryWriter, writeFolderAtomically } from '../../io/atomicWrite';

/**
 * Imported datasets kept in the app's data folder, one folder each: summary.json, data.json (texts, tags, image
 * sizes) and the image bytes as raw .bin files. A dataset is written under a temporary name and renamed when
 * complete, so that a crash mid-import never leaves a half dataset that looks whole; the source files may then move
 * or vanish without the dataset going with them.
 */

const SUMMARY = 'summary.json';

function withoutArrays(data: LoadedDataset): unknown {
  if (data.kind === 'image-classification') {
    const { pixels: _pixels, labels: _labels, fileSplit: _split, ...rest } = data;
    return rest;
  }
  if (data.kind === 'text-classification') {
    const { labels, fileSplit, ...rest } = data;
    return { ...rest, labels: [...labels], ...(fileSplit ? { fileSplit: [...fileSplit] } : {}) };
  }
  return data;
}

export async function saveDataset(folder: string, summary: DatasetSummary, data: LoadedDataset): Promise<void> {
  await writeFolderAtomically(fs, join(folder, summary.id), async (temporary) => {
    await writeFile(join(temporary, 'data.json'), JSON.stringify(withoutArrays(data)));
    if (data.kind === 'image-classification') {
      await writeFile(join(temporary, 'pixels.bin'), data.pixels);
      await writeFile(
        join(temporary, 'labels.bin'),
        new Uint8Array(data.labels.buffer, data.labels.byteOffset, data.labels.byteLength),
      );
      if (data.fileSplit) await writeFile(join(temporary, 'split.bin'), data.fileSplit);
    }
    // The summary last: a folder without one is not a dataset.
    await writeFile(join(temporary, SUMMARY), JSON.stringify(summary));
  });
}

export async function loadStoredDataset(folder: string, id: string): Promise<LoadedDataset> {
  const dir = join(folder, id);
  const data = JSON.parse(await readFile(join(dir, 'data.json'), 'utf8')) as LoadedDataset & {
    labels: number[] | Int32Array;
    fileSplit?: number[];
  };
  if (data.kind === 'image-classification') {
    const labels = await readFile(join(dir, 'labels.bin'));
    const split = await readFile(join(dir, 'split.bin')).catch(() => null);
    return {
      ...data,
      pixels: new Uint8Array(await readFile(join(dir, 'pixels.bin'))),
      labels: new Int32Array(labels.buffer.slice(labels.byteOffset, labels.byteOffset + labels.byteLength)),
      ...(split ? { fileSplit: new Uint8Array(split) } : {}),
    };
  }
  if (data.kind === 'text-classification') {
    return {
      ...data,
      labels: Int32Array.from(data.labels),
      ...(data.fileSplit ? { fileSplit: Uint8Array.from(data.fileSplit) } : {}),
    };
  }
  return data;
}

/** The summaries of every complete stored dataset; unreadable folders are skipped with a message, not fatal. */
export async function listStoredDatasets(folder: string): Promise<DatasetSummary[]> {
  const names = await readdir(folder).catch(() => [] as string[]);
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
