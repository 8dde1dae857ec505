import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { processAlive } from './liveProcess';

/** Beside the repository's node_modules, so that the bundle's package imports resolve as the source's do. */
const CACHE = fileURLToPath(new URL('../../../node_modules/.cache/attention-workbench/', import.meta.url));
const bundles = new Map<string, string>();

/**
 * A TypeScript entry bundled into one ES module that Node runs as it is, for a pool process started from source (the
 * CLI, the tests). Registering tsx in the process instead would cost each one its loader thread, about 35 MB, and
 * an import's memory counts every decode process. Packages stay imports (sharp loads its native binary from its own
 * folder). One bundle per entry and process, removed when the process exits (or, killed, by the next one).
 */
export function sourceBundle(source: string): string {
  let bundle = bundles.get(source);
  if (!bundle) {
    mkdirSync(CACHE, { recursive: true });
    sweepOrphans();
    const out = join(CACHE, `${basename(source, '.ts')}.${process.pid}.mjs`);
    // Loaded here only: the built app starts its pool processes from built entries and never needs esbuild.
    const { buildSync } = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
    buildSync({
      entryPoints: [source],
      outfile: out,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      logLevel: 'error',
    });
    process.once('exit', () => rmSync(out, { force: true }));
    bundles.set(source, out);
    bundle = out;
  }
  return bundle;
}

/** Removes the bundles of processes that died without their exit handler (kill -9): `<entry>.<pid>.mjs`. */
function sweepOrphans(): void {
  for (const name of readdirSync(CACHE)) {
    const pid = /\.(\d+)\.mjs$/.exec(name)?.[1];
    if (pid && !processAlive(Number(pid), null)) rmSync(join(CACHE, name), { force: true });
  }
}
