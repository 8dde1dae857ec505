import { spawn } from 'node:child_process';
import { mkdtemp, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { frameRecord, parseMetricsLog } from '../../src/main/runs/metricsLog';
import { RunStore } from '../../src/main/runs/runStore';
import { RUN_FILES } from '../../src/shared/runLayout';
import type { TrainEvent } from '../../src/shared/events';
import { findPreset } from '../../src/shared/architecture/presets';
import { hyperParamsSchema } from '../../src/shared/hyperParams';

const ROOT = new URL('../../', import.meta.url).pathname;

/** A process that logs progress events of growing size to one run as fast as it can, until it is killed. */
const WRITER = `
import { RunStore } from ${JSON.stringify(join(ROOT, 'src/main/runs/runStore.ts'))};
const [root, id, from] = process.argv.slice(2);
const store = new RunStore(root, { holder: 'cli' });
// The run's one writer, as a training command is; the lock of a writer killed before is found stale and taken.
await store.claim(id, 'train');
for (let step = Number(from); ; step++) {
  // Some records are larger, as an epoch or finished event with a long reason is.
  const padding = step % 7 === 0 ? 'x'.repeat(20_000) : '';
  await store.append(id, { type: 'progress', runId: id + padding, epoch: 1, step, globalStep: step, loss: 1 / step, samplesPerSecond: 1 });
}
`;

async function runWriterFor(ms: number, root: string, from: number): Promise<void> {
  const logSize = () =>
    stat(join(root, 'run', RUN_FILES.metrics)).then(
      (info) => info.size,
      () => 0,
    );
  const before = await logSize();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'writer.mts'), root, 'run', String(from)], {
      cwd: ROOT,
      stdio: 'ignore',
    });
    // Killed once it has been writing for a while: startup takes a few hundred ms.
    const started = setInterval(async () => {
      if ((await logSize()) !== before) {
        clearInterval(started);
        setTimeout(() => child.kill('SIGKILL'), ms);
      }
    }, 5);
    child.on('exit', () => {
      clearInterval(started);
      resolve();
    });
  });
}

describe('the metrics log', () => {
  it('detects a flipped bit and a torn record by their checksums, and reads every other record', () => {
    const good = [1, 2, 3].map((n) => frameRecord(JSON.stringify({ n })));
    const flipped = good[1]!.replace('"n":2', '"n":7');
    const text = good[0]! + flipped + good[2]! + good[0]!.slice(0, 12);
    const parsed = parseMetricsLog(text);
    expect(parsed.records).toEqual([{ n: 1 }, { n: 3 }]);
    expect(parsed.skipped).toBe(2);
    expect(parsed.goodBytes).toBe(good[0]!.length + flipped.length + good[2]!.length);
    // Logs written before framing still read.
    expect(parseMetricsLog('{"n":1}\n{"n":2}\n').records).toEqual([{ n: 1 }, { n: 2 }]);
    // A frame torn inside its checksum is digits, valid JSON, and still not a record.
    expect(parseMetricsLog(`${good[0]}0c1f7`)).toMatchObject({ records: [{ n: 1 }], skipped: 1 });
  });

  it('killed -9 at 50 random moments, every complete record reads back, in order, and logging goes on', async () => {
    const root = await mkdtemp(join(tmpdir(), 'metrics-kill-'));
    await writeFile(join(root, 'writer.mts'), WRITER);
    const store = new RunStore(root);
    await store.create({
      id: 'run',
      createdAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-01T00:00:00Z',
      status: 'running',
      datasetId: 'd',
      presetId: null,
      spec: findPreset('transformer-text')!.spec,
      hyperParams: hyperParamsSchema.parse({}),
    });
    await store.release('run');
    let torn = 0;
    let next = 1;
    for (let round = 0; round < 50; round++) {
      await runWriterFor(Math.floor(Math.random() * 60), root, next);
      const path = join(root, 'run', RUN_FILES.metrics);
      // A kill lands between write calls; a power cut can also tear the record being written. Half the rounds
      // tear the last record at a random byte, as that would.
      const text = await readFile(path, 'utf8');
      if (round % 2 === 1 && text.length > 0) {
        const lastStart = text.lastIndexOf('\n', text.length - 2) + 1;
        await truncate(path, lastStart + 1 + Math.floor(Math.random() * (text.length - lastStart - 2)));
      }
      if (!(await readFile(path, 'utf8')).endsWith('\n')) torn++;
      const { events } = await new RunStore(root).get('run');
      const steps = events.map((event) => (event as Extract<TrainEvent, { type: 'progress' }>).step);
      // Every record is there once, in order: 1, 2, ... with no gap, whatever the kill cut.
      expect(steps).toEqual(Array.from({ length: steps.length }, (_, i) => i + 1));
      next = steps.length + 1;
    }
    console.log(`metrics log: 50 kills, ${torn} torn records, ${next - 1} records read back`);
    expect(torn).toBeGreaterThanOrEqual(20);
    expect(next).toBeGreaterThan(50);
  }, 120_000);
});
