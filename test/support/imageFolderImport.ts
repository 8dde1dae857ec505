import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importImageFolder } from '../../src/engine/data/import/imageFolder';
import type { ImportControl } from '../../src/engine/data/import/importProgress';
import type { ImageTarget } from '../../src/engine/data/import/decoding/imageTarget';
import { ShardReader } from '../../src/engine/data/shards/shardReader';

/** Imports an image folder into shards in a fresh temporary folder and reads them back: the pixels as imported. */
export async function importFolderPixels(
  folder: string,
  target: ImageTarget = { height: 32, width: 32, channels: 3 },
  control: ImportControl = {},
) {
  const out = await mkdtemp(join(tmpdir(), 'shards-'));
  const imported = await importImageFolder(folder, out, target, control, { workers: 2 });
  const reader = await ShardReader.open(out);
  try {
    return { ...imported, out, pixels: await reader.readAll() };
  } finally {
    reader.close();
  }
}
