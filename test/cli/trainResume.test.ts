import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMetricsLog } from '../../src/main/runs/metricsLog';
import type { TrainEvent } from '../../src/shared/events';

const ROOT = new URL('../../', import.meta.url).pathname;
const ARGS = [
  '--preset',
  'transformer-text',
  '--dataset',
  'keyword-topics',
  '--epochs',
  '3',
  '--max-train',
  '960',
  '--batch-size',
  '8',
  '--dropout',
  '0',
];

describe('npm run train -- --resume', () => {
  it('goes on with a run stopped by Ctrl+C from its latest checkpoint, continuing its curves, on other replicas', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cli-resume-'));
    const env = { ...process.env, WORKBENCH_DATA_DIR: dataDir };
    // Ctrl+C once the first epoch has ended: the run stops after the step it is in. (The progress bar redraws every
    // 2 s without a terminal, and an epoch here can take less, so its own line is no reliable cue.)
    const stopped = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/train.ts', ...ARGS, '--replicas', '2'], {
        cwd: ROOT,
        env,
      });
      let [output, sent] = ['', false];
      const watch = (chunk: Buffer) => {
        output += chunk;
        if (!sent && /^epoch 1: /m.test(output)) {
          sent = true;
          child.kill('SIGINT');
        }
      };
      child.stdout.on('data', watch);
      child.stderr.on('data', watch);
      child.on('exit', (code) => resolve({ code, stdout: output }));
    });
    expect(stopped.stdout).toMatch(/^2 data-parallel replicas, one thread each$/m);
    expect(stopped.stdout).toMatch(/^stopped after 1 epoch\(s\): stopped by the user/m);
    const runId = /^run (\S+) saved in/m.exec(stopped.stdout)![1]!;

    // Resumed on one thread: the checkpoint holds the weights, not the replicas that trained them.
    const resumed = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli/train.ts', '--resume', runId, '--replicas', '1'],
      { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000 },
    );
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/^completed after 3 epoch\(s\)/m);
    const folder = join(dataDir, 'runs', runId);
    expect(JSON.parse(await readFile(join(folder, 'run.json'), 'utf8'))).toMatchObject({
      status: 'completed',
      hyperParams: { replicas: 1 },
    });
    const events = parseMetricsLog(await readFile(join(folder, 'metrics.log'), 'utf8')).records as TrainEvent[];
    const starts = events.filter((e) => e.type === 'started');
    expect(starts).toHaveLength(2);
    expect(starts[0]).toMatchObject({ hyperParams: { replicas: 2 } });
    expect(starts[1]).toMatchObject({ resumedFrom: { epoch: 1, globalStep: 120 }, hyperParams: { replicas: 1 } });
    // Epoch 1 once (before the stop), then 2 and 3 after the resume: one curve.
    expect(events.filter((e) => e.type === 'epoch').map((e) => (e as { epoch: number }).epoch)).toEqual([1, 2, 3]);

    const again = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/train.ts', '--resume', runId], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
    });
    expect(again.status).toBe(2);
    expect(again.stderr).toContain(
      `run ${runId} is completed: only a stopped, failed or interrupted run can be resumed`,
    );
  }, 180_000);

  it('goes on after kill -9 without the app, and refuses a second --resume while the first trains', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cli-kill-'));
    const env = { ...process.env, WORKBENCH_DATA_DIR: dataDir };
    // Killed once epoch 1's checkpoint is whole: the run is left "running", its lock held by a dead process.
    const runId = await new Promise<string>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/train.ts', ...ARGS, '--json'], {
        cwd: ROOT,
        env,
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk;
        const started = /"type":"started","runId":"([^"]+)"/.exec(output);
        if (!started || !/"type":"epoch"/.test(output)) return;
        const index = join(dataDir, 'runs', started[1]!, 'checkpoints', 'latest', 'checkpoint.json');
        const waitForCheckpoint = setInterval(() => {
          if (!existsSync(index)) return;
          clearInterval(waitForCheckpoint);
          child.kill('SIGKILL');
        }, 5);
        child.stdout.removeAllListeners('data');
        child.on('exit', () => resolve(started[1]!));
      });
    });
    const folder = join(dataDir, 'runs', runId);
    expect(JSON.parse(await readFile(join(folder, 'run.json'), 'utf8')).status).toBe('running');

    const first = spawn(process.execPath, ['--import', 'tsx', 'src/cli/train.ts', '--resume', runId], {
      cwd: ROOT,
      env,
    });
    let firstOutput = '';
    first.stdout.on('data', (chunk: Buffer) => (firstOutput += chunk));
    const firstDone = new Promise<number | null>((resolve) => first.on('exit', resolve));
    await expect.poll(() => firstOutput, { timeout: 60_000 }).toMatch(/^training /m);
    const second = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/train.ts', '--resume', runId], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
    });
    expect(second.status).toBe(2);
    expect(second.stderr).toContain(`run ${runId} is being resumed by npm run train (pid ${first.pid}, since `);

    expect(await firstDone).toBe(0);
    expect(firstOutput).toMatch(/^completed after 3 epoch\(s\)/m);
    const events = parseMetricsLog(await readFile(join(folder, 'metrics.log'), 'utf8')).records as TrainEvent[];
    // Epoch 1 before the kill, 2 and 3 after the resume; nothing trained twice.
    expect(events.filter((e) => e.type === 'epoch').map((e) => (e as { epoch: number }).epoch)).toEqual([1, 2, 3]);
    expect(existsSync(join(folder, 'writer.lock'))).toBe(false);
  }, 240_000);
});
