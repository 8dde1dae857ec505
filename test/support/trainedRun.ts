import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './browserHost';

/**
 * One short run in `dataDir`, trained by the CLI as a user would: a Transformer on the keyword topics, one epoch of
 * 300 examples. Views that list or ask runs (Runs, Playground) then have something to show.
 */
export function trainShortRun(dataDir: string): void {
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'src/cli/train.ts'),
      '--preset',
      'transformer-text',
      '--dataset',
      'keyword-topics',
      '--epochs',
      '1',
      '--max-train',
      '300',
    ],
    { cwd: ROOT, env: { ...process.env, WORKBENCH_DATA_DIR: dataDir }, encoding: 'utf8', timeout: 300_000 },
  );
  if (result.status !== 0) throw new Error(`the CLI could not train a run: ${result.stderr}`);
}
