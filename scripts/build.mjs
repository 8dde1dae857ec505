import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// electron-vite's package exports do not include its bin, so the file is named from the package folder.
const cli = fileURLToPath(new URL('../node_modules/electron-vite/bin/electron-vite.js', import.meta.url));

/** Runs electron-vite's build quietly; prints its output only when it fails. */
export function buildApp() {
  const result = spawnSync(process.execPath, [cli, 'build'], { encoding: 'utf8' });
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    process.exit(result.status ?? 1);
  }
}
