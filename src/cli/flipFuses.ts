import { flipFuses, getCurrentFuseWire } from '@electron/fuses';
import { PACKAGED_APP_FUSES } from './packagedFuses';

/**
 * `npm run fuses -- <packaged Electron binary>`: sets the packaged app's fuses (packagedFuses.ts) and prints them.
 * Run it on the packaged copy, never on node_modules/electron: OnlyLoadAppFromAsar would stop `electron .` from
 * starting the source tree.
 */
async function main(): Promise<void> {
  const binary = process.argv[2];
  if (!binary) throw new Error('usage: npm run fuses -- <path to the packaged Electron binary>');
  await flipFuses(binary, PACKAGED_APP_FUSES);
  console.log(JSON.stringify(await getCurrentFuseWire(binary)));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
