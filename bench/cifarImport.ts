import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatasetLibrary } from '../src/engine/data/library/datasetLibrary';
import { importOptionsSchema } from '../src/shared/datasetImport';
import { writeCifarFolder } from '../test/support/datasetFixtures';

const MB = 1024 * 1024;

/**
 * Imports a CIFAR-10-format set of 60,000 generated 32x32x3 images (5 training batches and a test batch, 184 MB)
 * the way the app does, including the stored copy, and prints the seconds, the peak memory above the baseline and
 * the longest stall of the event loop (what a window waiting on the app would feel).
 */
export async function cifarImport(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'bench-cifar-'));
  try {
    await writeCifarFolder(join(root, 'cifar'), 10_000, 5, 10_000);
    const library = new DatasetLibrary({ cacheDir: join(root, 'cache'), datasetsDir: join(root, 'datasets') });
    // The fixture's write buffers are garbage by now: collect them, or the baseline would include them (npm run bench
    // passes --expose-gc).
    (globalThis as { gc?: () => void }).gc?.();
    const baseline = process.memoryUsage();
    let peak = baseline.rss;
    let peakBuffers = baseline.arrayBuffers;
    let longestStall = 0;
    let last = performance.now();
    const sampler = setInterval(() => {
      const now = performance.now();
      longestStall = Math.max(longestStall, now - last);
      last = now;
      const memory = process.memoryUsage();
      peak = Math.max(peak, memory.rss);
      peakBuffers = Math.max(peakBuffers, memory.arrayBuffers);
    }, 5);
    let progressEvents = 0;
    const started = performance.now();
    const summary = await library.import(join(root, 'cifar'), importOptionsSchema.parse({}), {
      onProgress: () => progressEvents++,
    });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    console.log(
      `CIFAR-10 import: ${summary.examples} images in ${seconds.toFixed(2)} s (${Math.round(summary.examples / seconds)} images/s), ` +
        `peak ArrayBuffer memory ${Math.round(peakBuffers / MB)} MB, ${Math.round(baseline.arrayBuffers / MB)} MB before (the pixels as uint8 are ${Math.round((summary.examples * 3072) / MB)} MB; ` +
        `as float32 they would be ${Math.round((summary.examples * 3072 * 4) / MB)} MB), peak RSS ${Math.round(peak / MB)} MB, ` +
        `${progressEvents} progress reports, longest event-loop stall ${longestStall.toFixed(0)} ms`,
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
