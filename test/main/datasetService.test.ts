import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetLibrary } from '../../src/engine/data/library/datasetLibrary';
import { DatasetService } from '../../src/main/services/datasetService';
import type { ImportProgressEvent } from '../../src/shared/datasetImport';
import { importOptionsSchema } from '../../src/shared/datasetImport';
import { writeCifarFolder } from '../support/datasetFixtures';

async function service() {
  const root = await mkdtemp(join(tmpdir(), 'dataset-service-'));
  const progress: ImportProgressEvent[] = [];
  const datasets = new DatasetService(
    new DatasetLibrary({ cacheDir: join(root, 'cache'), datasetsDir: join(root, 'datasets') }),
    (e) => progress.push(e),
  );
  return { root, progress, datasets };
}

describe('DatasetService', () => {
  it('imports with progress, lists the import, inspects it, and removes it', async () => {
    const { root, progress, datasets } = await service();
    await writeCifarFolder(join(root, 'cifar'), 4000, 1, 100);
    const summary = await datasets.import({
      importId: 'one',
      path: join(root, 'cifar'),
      options: importOptionsSchema.parse({}),
    });
    expect(summary).toMatchObject({
      task: 'image-classification',
      examples: 4100,
      origin: 'imported',
      hasFileSplit: true,
      imageShape: { height: 32, width: 32, channels: 3 },
    });
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((p) => p.importId === 'one' && p.done <= p.total)).toBe(true);
    expect((await datasets.list()).map((d) => d.id)).toContain(summary.id);
    const inspection = await datasets.inspect({
      datasetId: summary.id,
      validationFraction: 0.1,
      testFraction: 0.1,
      seed: 1,
      useFileSplit: true,
    });
    expect(inspection.split).toMatchObject({ test: 100, source: 'files' });
    expect(await datasets.remove(summary.id)).toEqual({ removed: true });
    expect(await readdir(join(root, 'datasets'))).toEqual([]);
    expect(await datasets.remove('spam-assassin')).toEqual({ removed: false }); // built-ins stay
  });

  it('cancels a running import, keeps nothing of it, and refuses a second import under one id', async () => {
    const { root, datasets } = await service();
    await writeCifarFolder(join(root, 'cifar'), 20_000, 1, 10);
    const running = datasets.import({
      importId: 'slow',
      path: join(root, 'cifar'),
      options: importOptionsSchema.parse({}),
    });
    await expect(
      datasets.import({ importId: 'slow', path: join(root, 'cifar'), options: importOptionsSchema.parse({}) }),
    ).rejects.toThrow(/already running/);
    expect(datasets.cancelImport('slow')).toEqual({ cancelled: true });
    await expect(running).rejects.toThrow(/cancelled/);
    expect(await readdir(join(root, 'datasets')).catch(() => [])).toEqual([]);
    expect(datasets.cancelImport('slow')).toEqual({ cancelled: false });
  });
});
