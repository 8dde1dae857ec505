import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('../', import.meta.url).pathname;
const PYTHON = '/usr/bin/python3';
const PAIRS: [string, string][] = [
  ['transformer-text', 'keyword-topics'],
  ['conv-attention-image', 'object-in-clutter'],
];

/** JSON events printed by a command (torchrun's rank prefix dropped). */
function eventsOf(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Record<string, unknown>[] {
  const run = spawnSync(command, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${run.stderr}`);
  return run.stdout
    .split('\n')
    .map((line) => line.replace(/^\[default\d+\]:/, ''))
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Training samples per second of an epoch: the train split over the epoch's seconds (validation included). */
function samplesPerSecond(events: Record<string, unknown>[]): number {
  const started = events.find((e) => e['type'] === 'started') as { split: { train: number } };
  const epoch = events.find((e) => e['type'] === 'epoch') as { seconds: number };
  return started.split.train / epoch.seconds;
}

/**
 * The same preset, one epoch on its dataset, three ways: in the app's engine (wasm, the CLI), in the exported
 * train.py on one process, and under torchrun with two processes (gloo, one thread each).
 */
export function pytorchExport(): void {
  if (spawnSync(PYTHON, ['-c', 'import torch']).status !== 0) {
    console.log(`\nPyTorch export: skipped (${PYTHON} cannot import torch)`);
    return;
  }
  console.log('\nOne epoch of a preset: the workbench (wasm) against its PyTorch export (samples/s, train split)');
  console.log('preset                  workbench   train.py x1   torchrun x2');
  for (const [preset, dataset] of PAIRS) {
    const dataDir = mkdtempSync(join(tmpdir(), 'bench-export-'));
    const env = {
      WORKBENCH_DATA_DIR: dataDir,
      WORKBENCH_BACKEND: 'wasm',
      OMP_NUM_THREADS: '1',
      OPENBLAS_NUM_THREADS: '1',
    };
    const cli = (script: string, args: string[]) =>
      eventsOf(process.execPath, ['--import', 'tsx', `src/cli/${script}.ts`, ...args], ROOT, env);
    const app = samplesPerSecond(cli('train', ['--preset', preset, '--dataset', dataset, '--epochs', '1', '--json']));
    const folder = join(dataDir, 'exported');
    cli('export', ['--format', 'pytorch', '--preset', preset, '--dataset', dataset, '--out', folder]);
    const one = samplesPerSecond(
      eventsOf(PYTHON, ['train.py', '--epochs', '1', '--out', join(folder, 'one')], folder, env),
    );
    const two = samplesPerSecond(
      eventsOf(
        PYTHON,
        [
          '-m',
          'torch.distributed.run',
          '--nproc_per_node=2',
          '--redirects',
          '1',
          '--tee',
          '1',
          '--log_dir',
          join(folder, 'logs'),
          'train.py',
          '--epochs',
          '1',
          '--out',
          join(folder, 'two'),
        ],
        folder,
        env,
      ),
    );
    const cell = (value: number) => value.toFixed(0).padStart(12);
    console.log(`${preset.padEnd(22)}${cell(app)}${cell(one)}  ${cell(two)}`);
  }
}
