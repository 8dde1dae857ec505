import { availableParallelism } from 'node:os';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeImageFolder } from '../support/datasetFixtures';

const ROOT = new URL('../../', import.meta.url).pathname;
const importCli = (args: string[], dataDir: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/import.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, WORKBENCH_DATA_DIR: dataDir, LANG: 'C' },
    encoding: 'utf8',
    timeout: 120_000,
  });

describe('npm run import', () => {
  it('imports an image folder into the shared datasets and reports its id, split, time, rate and memory', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cli-import-'));
    await writeImageFolder(join(dataDir, 'colours'), 30);
    const run = importCli([join(dataDir, 'colours'), '--size', '16x24', '--channels', '1'], dataDir);
    expect(run.status, run.stderr).toBe(0);
    const id = /^dataset (\S+) \(colours\): 60 examples$/m.exec(run.stdout)![1]!;
    // Per class: train / validation / test, adding up to the split line.
    const perClass = [...run.stdout.matchAll(/^ {2}(blue|red): (\d+) \/ (\d+) \/ (\d+)$/gm)].map((m) =>
      m.slice(2).map(Number),
    );
    expect(perClass).toHaveLength(2);
    const [train, validation, test] = [0, 1, 2].map((i) => perClass[0]![i]! + perClass[1]![i]!);
    expect(train! + validation! + test!).toBe(60);
    expect(run.stdout).toContain(`split: ${train} train, ${validation} validation, ${test} test`);
    // The peak counts the decode processes (one per core) with the CLI's own: each is tens of MB at least.
    const [, peak, processes] =
      /^[\d.]+ s, \d+ images\/s, peak memory (\d+) MB with its (\d+) decode processes \(sharp\)$/m.exec(run.stdout)!;
    expect(Number(processes)).toBe(availableParallelism());
    expect(Number(peak)).toBeGreaterThan(50 * (Number(processes) + 1));
    expect(run.stdout).toMatch(/^note: 1 files could not be decoded and were skipped: red\/broken\.png/m);
    // Stored where the app and the browser host read it: shards of 16 x 24 x 1 records.
    const folder = join(dataDir, 'datasets', id);
    expect(await readdir(folder)).toEqual(
      expect.arrayContaining(['summary.json', 'data.json', 'shards.json', 'labels.bin', 'shard-00000.bin']),
    );
    const index = JSON.parse(await readFile(join(folder, 'shards.json'), 'utf8'));
    expect([index.recordBytes, index.records]).toEqual([16 * 24, 60]);
    // The progress bar went to stderr, not into the report: 61 files, one of them not an image.
    expect(run.stderr).toMatch(/decoding images .*100% \| 61\/61 \| \d+\/s/);
  });

  it('refuses a bad size, a missing path and a wrong channel count, saying which', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cli-import-bad-'));
    const badSize = importCli([dataDir, '--size', '64y64'], dataDir);
    expect([badSize.status, badSize.stderr.trim()]).toEqual([2, '--size 64y64: write it as HEIGHTxWIDTH, e.g. 64x64']);
    const missing = importCli([join(dataDir, 'nowhere')], dataDir);
    expect([missing.status, missing.stderr.trim()]).toEqual([2, 'nowhere: no such file or folder']);
    const channels = importCli([dataDir, '--channels', '2'], dataDir);
    expect(channels.status).toBe(2);
    expect(channels.stderr).toMatch(/^--channels: /);
    expect(importCli([], dataDir).stdout).toMatch(/^usage: npm run import -- <file or folder>/);
  });
});
