/* eslint-disable no-control-regex -- these tests look for control characters in what the app writes */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { createWorkbench, type Workbench } from '../../src/main/createWorkbench';
import { frameRecord } from '../../src/main/runs/metricsLog';
import { MAX_PROGRESS_POINTS } from '../../src/main/runs/metricsFold';
import { RunStore } from '../../src/main/runs/runStore';
import type { RunRecord } from '../../src/shared/runs';
import { runRecord } from '../support/runRecords';
import type { ProgressEvent } from '../../src/shared/events';

const ROOT = new URL('../../', import.meta.url).pathname;

const record = runRecord;

/** A data folder whose runs/<name>/run.json hold exactly the given texts. */
async function dataDirWith(runJsons: Record<string, string>): Promise<string> {
  const dataDir = await mkdtemp(join(tmpdir(), 'data-'));
  for (const [name, text] of Object.entries(runJsons)) {
    await mkdir(join(dataDir, 'runs', name), { recursive: true });
    await writeFile(join(dataDir, 'runs', name, 'run.json'), text);
  }
  return dataDir;
}

/** The whole host's services over a data folder, with a worker that never trains (none of these tests train). */
function openWorkbench(dataDir: string): Promise<Workbench> {
  return createWorkbench({
    dataDir,
    version: 'test',
    transport: 'browser-host',
    launchWorker: () => new Worker("require('node:worker_threads').parentPort.on('message', () => {})", { eval: true }),
  });
}

const good = (id: string, extra: Partial<RunRecord> = {}) => JSON.stringify(record(id, extra));

describe('the run store against damaged and hostile records', () => {
  it('starts with malformed run.json files, lists the good runs, and names each damaged file with the reason', async () => {
    const dataDir = await dataDirWith({
      good1: good('good1'),
      empty: '{}',
      nullSpec: good('nullSpec').replace(/"spec":\{.*?\},"hyperParams"/, '"spec":null,"hyperParams"'),
      notJson: '{"createdAt": "2026-',
      'has space': good('x'),
    });
    const workbench = await openWorkbench(dataDir);
    try {
      const listed = await workbench.handlers['runs:list']({});
      expect(listed.map((run) => run.id)).toEqual(['good1']);
      const damaged = await workbench.handlers['runs:damaged']({});
      expect(Object.fromEntries(damaged.map((d) => [d.file, d.reason]))).toEqual({
        'runs/empty/run.json': 'createdAt: Invalid input: expected string, received undefined',
        'runs/nullSpec/run.json': 'spec: Invalid input: expected object, received null',
        'runs/notJson/run.json': expect.stringMatching(/^not JSON \(/),
        'runs/has space': 'the folder name is not a run id',
      });
      await expect(workbench.handlers['runs:get']({ runId: 'empty' })).rejects.toThrow(
        "run empty's run.json is damaged (createdAt: Invalid input: expected string, received undefined)",
      );
    } finally {
      await workbench.close();
    }
  });

  it("takes a run's id from its folder: an id field of '../../x' or another run's steers no write", async () => {
    const dataDir = await dataDirWith({
      escape: good('../../x', { status: 'running' }),
      renamed: good('20260101T000000-aaaaaa', { status: 'queued' }),
    });
    const workbench = await openWorkbench(dataDir);
    try {
      // The start-up sweep rewrote both records in their own folders, and nothing outside the data folder.
      const listed = await workbench.handlers['runs:list']({});
      expect(listed.map((run) => [run.id, run.status]).sort()).toEqual([
        ['escape', 'interrupted'],
        ['renamed', 'interrupted'],
      ]);
      expect(existsSync(join(dataDir, '..', 'x'))).toBe(false);
      expect(existsSync(join(dataDir, 'runs', '20260101T000000-aaaaaa'))).toBe(false);
      expect(JSON.parse(await readFile(join(dataDir, 'runs', 'escape', 'run.json'), 'utf8')).id).toBe('escape');
    } finally {
      await workbench.close();
    }
  });

  it('a damaged comparison record is listed as damaged and a finished run does not take the host down', async () => {
    const dataDir = await dataDirWith({ r1: good('r1') });
    await mkdir(join(dataDir, 'comparisons'), { recursive: true });
    await writeFile(join(dataDir, 'comparisons', 'cmp-0123456789ab.json'), '{}');
    const workbench = await openWorkbench(dataDir);
    try {
      expect(await workbench.handlers['comparisons:list']({})).toEqual([]);
      expect(await workbench.handlers['runs:damaged']({})).toEqual([
        {
          id: 'cmp-0123456789ab',
          file: 'comparisons/cmp-0123456789ab.json',
          reason: 'createdAt: Invalid input: expected string, received undefined',
        },
      ]);
      await expect(workbench.handlers['comparisons:report']({ comparisonId: 'cmp-0123456789ab' })).rejects.toThrow(
        'comparisons/cmp-0123456789ab.json is damaged (createdAt: Invalid input: expected string, received undefined)',
      );
    } finally {
      await workbench.close();
    }
  });

  it('an attention snapshot or evaluation that does not fit its schema is refused naming the file', async () => {
    const root = await mkdtemp(join(tmpdir(), 'runs-'));
    await mkdir(join(root, 'r1', 'attention'), { recursive: true });
    await writeFile(join(root, 'r1', 'run.json'), good('r1'));
    await writeFile(join(root, 'r1', 'attention', 'epoch-1.json'), '{}');
    const lying = {
      type: 'attention',
      runId: 'r1',
      epoch: 2,
      globalStep: 1,
      tokens: [],
      label: '',
      predicted: '',
      layers: [
        {
          layer: 'l',
          kind: 'tokens',
          queryLabels: [],
          keyLabels: [],
          heads: 1000,
          queries: 1000,
          keys: 1000,
          weights: [1],
        },
      ],
    };
    await writeFile(join(root, 'r1', 'attention', 'epoch-2.json'), JSON.stringify(lying));
    await writeFile(join(root, 'r1', 'evaluation.json'), '{"task":"text-classification","examples":-1}');
    const store = new RunStore(root);
    expect(await store.attentionEpochs('r1')).toEqual([1, 2]);
    await expect(store.attention('r1', 1)).rejects.toThrow(
      'run r1\'s attention/epoch-1.json is damaged (type: Invalid input: expected "attention")',
    );
    await expect(store.attention('r1', 2)).rejects.toThrow(
      "run r1's attention/epoch-2.json is damaged (layers.0.weights: weights do not hold heads x queries x keys values)",
    );
    await expect(store.evaluation('r1')).rejects.toThrow(
      "run r1's evaluation.json is damaged (examples: Too small: expected number to be >=0)",
    );
  });

  it('a 300 MB run.json is refused by its size, without being read', async () => {
    const dataDir = await dataDirWith({ r1: good('r1'), huge: '' });
    // Sparse: 300 MB that take no disk, so that only reading it would cost.
    await truncate(join(dataDir, 'runs', 'huge', 'run.json'), 300 * 1024 * 1024);
    const before = process.memoryUsage().rss;
    const store = new RunStore(join(dataDir, 'runs'));
    const { runs, damaged } = await store.scan();
    const grown = process.memoryUsage().rss - before;
    expect(runs.map((run) => run.id)).toEqual(['r1']);
    expect(damaged).toEqual([
      { id: 'huge', file: 'runs/huge/run.json', reason: '300.0 MB, more than the 4.0 MB it may hold' },
    ]);
    expect(grown).toBeLessThan(50e6);
  });

  it('opens a run with a 300 MB metrics log in bounded memory, its curve folded, an overlong line skipped', async () => {
    const root = await mkdtemp(join(tmpdir(), 'runs-'));
    await mkdir(join(root, 'r1'), { recursive: true });
    await writeFile(join(root, 'r1', 'run.json'), good('r1'));
    const log = join(root, 'r1', 'metrics.log');
    // 260 MB of one line with no newline (sparse zeros), then 200,000 real records (~40 MB).
    await writeFile(log, '');
    await truncate(log, 260 * 1024 * 1024);
    const handle = await open(log, 'a');
    await handle.write('\n');
    const records = 200_000;
    let chunk = '';
    for (let step = 1; step <= records; step++) {
      const event: ProgressEvent = {
        type: 'progress',
        runId: 'r1',
        epoch: 1 + Math.floor((step - 1) / 50_000),
        step,
        globalStep: step,
        loss: 2 + Math.sin(step / 1000),
        samplesPerSecond: 100,
      };
      chunk += frameRecord(JSON.stringify(event));
      if (step % 10_000 === 0) {
        await handle.write(chunk);
        chunk = '';
      }
    }
    await handle.close();
    const usage = () => process.memoryUsage().heapUsed + process.memoryUsage().external;
    const before = usage();
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, usage() - before)), 5);
    const { events } = await new RunStore(root).get('r1');
    clearInterval(sampler);
    peak = Math.max(peak, usage() - before);
    console.log(
      `300 MB metrics log: ${events.length} points kept, the host grew by at most ${(peak / 1e6).toFixed(0)} MB`,
    );
    expect(events.length).toBeLessThanOrEqual(MAX_PROGRESS_POINTS);
    expect(events.length).toBeGreaterThan(MAX_PROGRESS_POINTS / 2);
    const steps = events.map((event) => (event as ProgressEvent).globalStep);
    // In order, spanning the whole run, the last point the last record's.
    expect(steps.every((step, i) => i === 0 || step > steps[i - 1]!)).toBe(true);
    expect(steps.at(-1)).toBe(records);
    // A folded point is the mean of the losses it replaced: the curve keeps its values (2 ± 1).
    for (const event of events) expect(Math.abs((event as ProgressEvent).loss - 2)).toBeLessThanOrEqual(1);
    expect(peak).toBeLessThan(200e6);
  }, 120_000);

  it("prints --list with a damaged record's reason, and a name's terminal escapes made visible", () => {
    const dataDir = spawnSync('mktemp', ['-d']).stdout.toString().trim();
    const runs = join(dataDir, 'runs');
    spawnSync('mkdir', ['-p', join(runs, 'bad'), join(runs, 'r1')]);
    const named = record('r1', { name: 'evil\u001b]0;pwned\u0007\u001b[2J name' });
    spawnSync('sh', ['-c', `cat > ${join(runs, 'r1', 'run.json')}`], { input: JSON.stringify(named) });
    spawnSync('sh', ['-c', `cat > ${join(runs, 'bad', 'run.json')}`], {
      input: good('bad').replace(/"spec":\{.*?\},"hyperParams"/, '"spec":null,"hyperParams"'),
    });
    const listed = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/train.ts', '--list'], {
      cwd: ROOT,
      env: { ...process.env, WORKBENCH_DATA_DIR: dataDir },
      encoding: 'utf8',
    });
    expect(listed.status).toBe(0);
    expect(listed.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    expect(listed.stdout).toContain('evil\\x1b]0;pwned\\x07\\x1b[2J name');
    expect(listed.stdout).toContain('damaged: runs/bad/run.json: spec: Invalid input: expected object, received null');
  }, 30_000);
});
