import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './browserHost';

/**
 * Where an end-to-end test saves a picture: docs/ when `npm run screenshots` asks for them (WORKBENCH_SCREENSHOTS=1),
 * test-results/screenshots/ on every other run, so that a test run never changes the repository.
 */
export function screenshotPath(name: string): string {
  const folder =
    process.env['WORKBENCH_SCREENSHOTS'] === '1' ? join(ROOT, 'docs') : join(ROOT, 'test-results/screenshots');
  mkdirSync(folder, { recursive: true });
  return join(folder, name);
}
