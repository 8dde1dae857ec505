import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ImportCancelledError } from '../../../../src/engine/data/import/datasetFileError';
import { DecodePool } from '../../../../src/engine/data/import/decoding/decodePool';
import { importImageFolder } from '../../../../src/engine/data/import/imageFolder';
import type { ImportControl } from '../../../../src/engine/data/import/importProgress';
import { DatasetLibrary } from '../../../../src/engine/data/library/datasetLibrary';
import { forkNodeProcess, type ProcessForker } from '../../../../src/engine/io/processLauncher';
import { importOptionsSchema } from '../../../../src/shared/datasetImport';
import type { PoolMember } from '../../../../src/engine/io/threadPool';
import { linkedImageFolder, photoJpeg } from '../../../support/photoFolder';

let root: string;
let folder: string;
const COUNT = 1200;
const target = { height: 16, width: 16, channels: 3 } as const;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'decode-processes-'));
  const original = join(root, 'photo.jpg');
  await writeFile(original, await photoJpeg(3));
  folder = join(root, 'photos');
  await linkedImageFolder(folder, [original], COUNT, 2);
});

/** Node's fork, keeping each decode process started so that a test can look at it, or kill it. */
function recordingForker() {
  const started: (PoolMember & { pid: number | undefined })[] = [];
  const forkProcess = (entry: string, env: Record<string, string> = {}) => {
    const member = forkNodeProcess(entry, env);
    started.push(member);
    return member;
  };
  return { started, forkProcess };
}

/** Whether a process is still there (signal 0 only asks). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function gone(pids: number[]): Promise<boolean> {
  for (let wait = 0; wait < 100 && pids.some(alive); wait++) await new Promise((r) => setTimeout(r, 20));
  return !pids.some(alive);
}

/** The kernel's own count of a process's peak resident memory (VmHWM), in bytes. */
function kernelPeakBytes(pid: number): number {
  const kilobytes = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]!;
  return Number(kilobytes) * 1024;
}

const importInto = async (control: ImportControl, forkProcess: ProcessForker) => {
  const out = await mkdtemp(join(root, 'out-'));
  const importing = importImageFolder(folder, out, target, control, { workers: 2, forkProcess });
  return { out, importing };
};

/** Through the dataset library, which removes what a failed import wrote: `datasets` is where it would be kept. */
const importIntoLibrary = async (control: ImportControl, forkProcess: ProcessForker) => {
  const datasets = await mkdtemp(join(root, 'datasets-'));
  const library = new DatasetLibrary({
    cacheDir: join(root, 'cache'),
    datasetsDir: datasets,
    decodePool: { workers: 2, forkProcess },
  });
  const options = importOptionsSchema.parse({ format: 'image-folder', imageHeight: 16, imageWidth: 16 });
  return { datasets, importing: library.import(folder, options, control) };
};

describe('the decode processes of an image import', () => {
  it('fail the import with the reason when one is killed, keep nothing, and the next import decodes all', async () => {
    const { started, forkProcess } = recordingForker();
    let killed = false;
    const { datasets, importing } = await importIntoLibrary(
      {
        onProgress: (p) => {
          if (p.phase !== 'decoding images' || p.done < 100 || killed) return;
          killed = true;
          process.kill(started[1]!.pid!, 'SIGKILL');
        },
      },
      forkProcess,
    );
    await expect(importing).rejects.toThrow(/^a decode process stopped \(exit code SIGKILL\)$/);
    expect(killed).toBe(true);
    expect(await readdir(datasets)).toEqual([]);
    expect(await gone(started.map((m) => m.pid!))).toBe(true);

    const again = recordingForker();
    const next = await importInto({}, again.forkProcess);
    const imported = await next.importing;
    expect(imported.labels.length).toBe(COUNT);
    expect(imported.skippedCount).toBe(0);
  }, 120_000);

  it('are killed at once by a cancel, leaving nothing', async () => {
    const { started, forkProcess } = recordingForker();
    const controller = new AbortController();
    const { datasets, importing } = await importIntoLibrary(
      {
        signal: controller.signal,
        onProgress: (p) => p.phase === 'decoding images' && p.done >= 64 && controller.abort(),
      },
      forkProcess,
    );
    await expect(importing).rejects.toBeInstanceOf(ImportCancelledError);
    expect(started).toHaveLength(2);
    expect(await gone(started.map((m) => m.pid!))).toBe(true);
    expect(await readdir(datasets)).toEqual([]);
  }, 120_000);

  it("run as configured and count in the import's peak memory: at least what the kernel showed mid-import", async () => {
    const { started, forkProcess } = recordingForker();
    let seenMidImport = 0;
    const { importing } = await importInto(
      {
        onProgress: (p) => {
          if (p.phase !== 'decoding images' || p.done < COUNT / 2 || seenMidImport > 0) return;
          seenMidImport = started.reduce((sum, m) => sum + kernelPeakBytes(m.pid!), 0);
        },
      },
      forkProcess,
    );
    // Each runs with libuv's pool sized to its decodes at once and two malloc arenas, as its environment shows.
    for (const { pid } of started) {
      const environment = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      expect(environment).toEqual(expect.arrayContaining(['UV_THREADPOOL_SIZE=2', 'MALLOC_ARENA_MAX=2']));
    }
    const imported = await importing;
    expect(imported.decoder.processes).toBe(2);
    expect(seenMidImport).toBeGreaterThan(0);
    // A peak only grows: what the processes reported at their last chunk is at least the kernel's reading halfway,
    // less what the kernel's per-CPU page counters may not have summed yet at either reading (Linux 6.2 and later
    // count a process's pages per CPU: its figures may be off by a batch of pages per CPU; 172 kB was seen here).
    const counterSlack = 1024 * 1024;
    expect(imported.decoder.peakMemoryBytes).toBeGreaterThanOrEqual(seenMidImport - counterSlack);
    // And it is theirs, not the whole machine's: under 300 MB each.
    expect(imported.decoder.peakMemoryBytes).toBeLessThan(2 * 300e6);
  }, 120_000);

  it('that cannot start fail the start of the pool with why, and leave none running', async () => {
    const { started, forkProcess } = recordingForker();
    const missing = join(root, 'no-such-entry.mjs');
    await expect(DecodePool.start({ workers: 2, forkProcess: () => forkProcess(missing) })).rejects.toThrow(
      /^a decode process stopped while starting \(exit 1\)$/,
    );
    expect(await gone(started.map((m) => m.pid!))).toBe(true);
  }, 60_000);
});
