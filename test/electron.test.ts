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
const reason = !binary
  ? 'the Electron binary is not installed (its download is not reachable here)'
  : !display
    ? 'there is no display'
    : null;
if (reason) console.log(`skipping the Electron window test: ${reason}`);

describe.skipIf(reason !== null)('the Electron window', () => {
  it('is a sandboxed app:// page with no Node that sees only window.workbench and cannot navigate or open windows', async () => {
    // The built renderer on app://, not a dev server the environment may name.
    const { ELECTRON_RENDERER_URL: _devServer, ...env } = process.env;
    const app = await electron.launch({ executablePath: binary!, args: [ROOT], env: env as Record<string, string> });
    const window = await app.firstWindow();
    await window.waitForLoadState('domcontentloaded');
    const globals = await window.evaluate(() => {
      // This runs in the page; Node's type library here has no DOM, so its globals are typed by hand.
      const page = globalThis as unknown as {
        workbench: object;
        location: { origin: string; protocol: string };
        open(url: string): unknown;
      };
      return {
        bridge: Object.keys(page.workbench).sort(),
        require: typeof (globalThis as { require?: unknown }).require,
        process: typeof (globalThis as { process?: unknown }).process,
        origin: page.location.origin,
        protocol: page.location.protocol,
        opened: page.open('https://example.com/') === null,
      };
    });
    expect(globals).toEqual({
      bridge: ['invoke', 'on', 'pathForFile'],
      require: 'undefined',
      process: 'undefined',
      origin: 'app://workbench',
      protocol: 'app:',
      opened: true,
    });
    const info = await window.evaluate(() =>
      (
        globalThis as unknown as { workbench: { invoke(c: string, r: object): Promise<{ ok: boolean }> } }
      ).workbench.invoke('app:info', {}),
    );
    expect(info).toMatchObject({ ok: true, value: { transport: 'electron' } });
    await window.evaluate(
      () => ((globalThis as unknown as { location: { href: string } }).location.href = 'https://example.com/'),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(
      await window.evaluate(() => (globalThis as unknown as { location: { origin: string } }).location.origin),
    ).toBe('app://workbench');
    await app.close();
  });
});
