// npm run screenshots: every picture in docs/ (and so in the README) taken again from the browser host, by the
// end-to-end tests that show each state, so that no picture shows an app that no longer exists.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildApp } from './build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
buildApp();
const vitest = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));
const result = spawnSync(process.execPath, [vitest, 'run', 'test/e2e'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, WORKBENCH_SCREENSHOTS: '1' },
});
process.exit(result.status ?? 1);
