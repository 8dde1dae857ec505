import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../', import.meta.url).pathname;

/** The Electron binary, if its download ever succeeded here; require('electron') would try to download it now. */
function electronBinary(): string | null {
  const pathFile = join(ROOT, 'node_modules/electron/path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(ROOT, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8'));
  return existsSync(binary) ? binary : null;
}

const binary = electronBinary();
const display = process.platform !== 'linux' || Boolean(process.env['DISPLAY'] || process.env['WAYLAND_DISPLAY']);
const reason = !binary ? 'the Electron binary is not installed (its download is not reachable here)' : !display ? 'there is no display' : null;
if (reason) console.log(`skipping the Electron window test: ${reason}`);

describe.skipIf(reason !== null)('the Electron window', () => {
  it('exposes only window.workbench to a sandboxed page with no Node', async () => {
    const app = await electron.launch({ executablePath: binary!, args: [ROOT] });
    const window = await app.firstWindow();
    const globals = await window.evaluate(() => ({
      bridge: Object.keys((window as unknown as { workbench: object }).workbench).sort(),
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
    }));
    expect(globals).toEqual({ bridge: ['invoke', 'on'], require: 'undefined', process: 'undefined' });
    await app.close();
  });
});
