import { mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Beside the repository's node_modules, so that the bundle's package imports resolve as the source's do. */
const CACHE = fileURLToPath(new URL('../../../node_modules/.cache/attention-workbench/', import.meta.url));
const bundles = new Map<string, string>();

/**
 * A TypeScript entry bundled into one ES module that Node runs as it is, for a pool process started from source (the
 * CLI, the tests). Registering tsx in the process instead would cost each one its loader thread, about 35 MB, and
 * an import's memory counts every decode process. Packages stay imports (sharp loads its native binary from its own
 * folder). One bundle per entry and process, removed when the process exits.
 */
export function sourceBundle(source: string): string {
  let bundle = bundles.get(source);
  if (!bundle) {
    mkdirSync(CACHE, { recursive: true });
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
