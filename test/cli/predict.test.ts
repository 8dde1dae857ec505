import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunEvaluation } from '../../src/shared/evaluation/runEvaluation';

const ROOT = new URL('../../', import.meta.url).pathname;
let env: NodeJS.ProcessEnv;
let dataDir: string;

const cli = (script: string, args: string[]) => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', `src/cli/${script}.ts`, ...args], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    timeout: 180_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
};

/** Trains a preset briefly through `npm run train` and returns its run id. */
function train(preset: string, dataset: string): string {
  const trained = cli('train', ['--preset', preset, '--dataset', dataset, '--epochs', '1', '--max-train', '256']);
  expect(trained.stderr + trained.stdout).toMatch(/run \S+ saved in/);
  return /^run (\S+) saved in/m.exec(trained.stdout)![1]!;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'cli-predict-'));
  env = { ...process.env, WORKBENCH_DATA_DIR: dataDir };
});

describe('npm run predict', () => {
  it('answers typed text and a row of the run with the run’s own prediction, and refuses what does not fit', async () => {
    const runId = train('transformer-text', 'keyword-topics');
    const typed = cli('predict', ['--run', runId, '--input', 'the striker scored a late goal']);
    expect(typed.code).toBe(0);
    expect(typed.stdout).toMatch(new RegExp(`^run ${runId} \\(.+\\), final weights after epoch 1$`, 'm'));
    expect(typed.stdout).toMatch(/^tokens: the striker scored a late goal$/m);
    expect(typed.stdout).toMatch(/^prediction: \S+/m);
    expect(typed.stdout).toMatch(/^\S+ \(\d heads, mean\): the → \S+ \(\d\.\d\d\)/m);

    // Every test row as JSON: the prediction is the report's (the right answer, or the listed mistake).
    const evaluation = JSON.parse(
      await readFile(join(dataDir, 'runs', runId, 'evaluation.json'), 'utf8'),
    ) as RunEvaluation;
    const missed = new Map(evaluation.mistakes.map((m) => [m.row, m.predicted]));
    for (const row of [0, 1, 2]) {
      const answer = cli('predict', ['--run', runId, '--sample', `test:${row}`, '--json']);
      expect(answer.code).toBe(0);
      const prediction = JSON.parse(answer.stdout) as { attention: { label: string; predicted: string } };
      expect(prediction.attention.predicted).toBe(missed.get(row) ?? prediction.attention.label);
    }

    expect(cli('predict', ['--run', runId, '--sample', 'dev:1']).stderr).toMatch(/--sample dev:1: write split:row/);
    expect(cli('predict', ['--run', runId, '--sample', 'test:99999']).stderr).toMatch(/there is no row 99999/);
    expect(cli('predict', ['--run', 'nope', '--input', 'x']).stderr).toMatch(/there is no run nope/);
    expect(cli('predict', ['--run', runId, '--input', 'a', '--beam', '0']).stderr).toMatch(/--beam 0/);
    const notImage = join(dataDir, 'not-an-image.png');
    await writeFile(notImage, 'hello');
    const refused = cli('predict', ['--run', runId, '--image', notImage]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/not-an-image.png: neither a PNG nor a JPEG file/);
  }, 300_000);

  it('reads a PNG of any size for an image run and lists the class probabilities', async () => {
    const runId = train('mlp-image', 'mnist-digits');
    const png = new PNG({ width: 60, height: 45 });
    png.data.fill(255);
    const path = join(dataDir, 'digit.png');
    await writeFile(path, PNG.sync.write(png));
    const answer = cli('predict', ['--run', runId, '--image', path]);
    expect(answer.stderr).not.toMatch(/error/i);
    const listed = [...answer.stdout.matchAll(/^ {2}(\S+) +(\d+\.\d)% /gm)];
    expect(listed).toHaveLength(10);
    const total = listed.reduce((sum, match) => sum + Number(match[2]), 0);
    expect(total).toBeGreaterThan(99.4);
    expect(total).toBeLessThan(100.6);
  }, 300_000);
});
