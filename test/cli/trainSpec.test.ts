import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../src/shared/architecture/modelSpec';
import { findPreset } from '../../src/shared/architecture/presets';

const ROOT = new URL('../../', import.meta.url).pathname;

/** `npm run train -- --spec FILE …` as a user runs it, in its own data folder. */
function trainCli(args: string[], dataDir: string) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/train.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, WORKBENCH_DATA_DIR: dataDir, WORKBENCH_BACKEND: 'cpu' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** A one-block encoder classifier over 16 tokens, as the editor saves it (with a layout the engine ignores). */
function drawnSpec(heads: number): ModelSpec {
  const preset = findPreset('transformer-text')!.spec;
  return {
    ...preset,
    name: 'Tiny drawn encoder',
    inputs: [{ id: 'tokens', kind: 'tokens', maxLength: 16, vocabSize: 500 }],
    nodes: preset.nodes
      .filter((n) => n.id !== 'encoder2')
      .map((n) =>
        n.id === 'encoder1'
          ? { ...n, params: { heads, ffnDim: 32 } }
          : n.id === 'pool'
            ? { ...n, inputs: ['encoder1'] }
            : n,
      ),
    layout: { tokens: { x: 0, y: 0 }, embed: { x: 0, y: 120 } },
  };
}

describe('npm run train -- --spec', () => {
  it('trains an architecture file saved by the editor, and names what is wrong with a bad one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cli-spec-'));
    await writeFile(join(dir, 'good.json'), JSON.stringify(drawnSpec(4)));
    await writeFile(join(dir, 'heads.json'), JSON.stringify(drawnSpec(5)));
    await writeFile(join(dir, 'broken.json'), '{"name": "half a file", "nodes": [');

    const good = trainCli(
      ['--spec', join(dir, 'good.json'), '--dataset', 'keyword-topics', '--epochs', '1', '--max-train', '64', '--json'],
      dir,
    );
    expect(good.code, good.stderr).toBe(0);
    const events = good.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; modelName?: string; presetId?: unknown; status?: string });
    expect(events[0]).toMatchObject({ type: 'started', modelName: 'Tiny drawn encoder', presetId: null });
    expect(events.at(-1)).toMatchObject({ type: 'finished', status: 'completed' });
    // The attention the run reports is that of the block drawn, under the name the file gave it.
    const attention = events.find((e) => e.type === 'attention') as unknown as
      { layers: { layer: string; heads: number }[] } | undefined;
    expect(attention?.layers.map((l) => [l.layer, l.heads])).toEqual([['encoder1_attention', 4]]);

    const heads = trainCli(['--spec', join(dir, 'heads.json'), '--dataset', 'keyword-topics'], dir);
    expect(heads.code).toBe(2);
    expect(heads.stderr).toContain('node "encoder1", parameter "heads": 5 heads do not divide the model width 64');

    const broken = trainCli(['--spec', join(dir, 'broken.json')], dir);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/broken\.json is not JSON: /);
  });

  it("shows a progress bar with samples/s and ETA, stores the run with the app's, and lists it", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cli-runs-'));
    await writeFile(join(dir, 'good.json'), JSON.stringify(drawnSpec(4)));
    const trained = trainCli(
      [
        '--spec',
        join(dir, 'good.json'),
        '--dataset',
        'keyword-topics',
        '--epochs',
        '2',
        '--max-train',
        '96',
        '--batch-size',
        '8',
      ],
      dir,
    );
    expect(trained.code, trained.stderr).toBe(0);
    // Not a terminal here: the bar is printed as lines, at least its final state of each epoch.
    expect(trained.stderr).toMatch(/epoch 1\/2 \[[=\- ]*\] 100% \| step 12\/12 \| \d+ samples\/s \| ETA \d+s/);
    expect(trained.stderr).toMatch(/epoch 2\/2 \[/);
    const saved = /^run (\S+) saved in (\S+)$/m.exec(trained.stdout);
    expect(saved, trained.stdout).not.toBeNull();
    const [, runId, folder] = saved!;
    expect(folder).toBe(join(dir, 'runs', runId!));
    const record = JSON.parse(await readFile(join(folder!, 'run.json'), 'utf8'));
    expect(record).toMatchObject({
      id: runId,
      status: 'completed',
      origin: 'cli',
      best: { epoch: expect.any(Number) },
    });

    // The test report beside the run: a confusion matrix over the test split, scores that agree with it.
    const report = JSON.parse(await readFile(join(folder!, 'evaluation.json'), 'utf8'));
    const total = (report.confusion as number[][]).flat().reduce((a: number, b: number) => a + b, 0);
    expect(total).toBe(report.examples);
    const diagonal = (report.confusion as number[][]).reduce(
      (sum: number, row: number[], c: number) => sum + row[c]!,
      0,
    );
    expect(report.accuracy).toBeCloseTo(diagonal / total, 12);
    expect(report.accuracy).toBeCloseTo(record.test.accuracy, 5);
    expect(report.classes).toHaveLength(3);
    expect(report.mistakes.length).toBe(Math.min(200, total - diagonal));

    const listed = trainCli(['--list'], dir);
    expect(listed.code).toBe(0);
    const [header, row] = listed.stdout.trim().split('\n');
    expect(header).toMatch(
      /^run\s+status\s+dataset\s+architecture\s+backend\s+best val acc\s+test acc\s+duration\s+from$/,
    );
    // One replica per core unless told: the backend column says how many trained it.
    const replicas = record.hyperParams.replicas as number;
    expect(replicas).toBe(Math.min(8, availableParallelism()));
    const trainedBy = replicas > 1 ? `cpu × ${replicas}` : 'cpu';
    expect(row).toMatch(
      new RegExp(
        `^${runId}\\s+completed\\s+keyword-topics\\s+Tiny drawn encoder\\s+${trainedBy}\\s+\\d+\\.\\d%\\s+\\d+\\.\\d%\\s+\\d+ s\\s+cli$`,
      ),
    );
  });
});
