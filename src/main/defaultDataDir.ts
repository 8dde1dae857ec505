import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where runs and caches live outside Electron (browser host, CLI): WORKBENCH_DATA_DIR or ~/.attention-workbench. */
export function defaultDataDir(): string {
  return process.env['WORKBENCH_DATA_DIR'] || join(homedir(), '.attention-workbench');
}
