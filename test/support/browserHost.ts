import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const ROOT = new URL('../../', import.meta.url).pathname;
const SERVE = join(ROOT, 'out/main/serve.js');

/** Why the browser host cannot be driven here (no build, no Chromium); empty when it can. */
export function browserHostMissing(): string[] {
  return [
    existsSync(SERVE) ? null : `${SERVE} is missing: run \`npm run build\` (npm test does)`,
    existsSync(CHROMIUM) ? null : `${CHROMIUM} is missing: \`apt-get install chromium\``,
  ].filter((reason): reason is string => reason !== null);
}

export interface BrowserHost {
  url: string;
  browser: Browser;
  close(): Promise<void>;
}

/** The browser host on a free port over `dataDir`, and headless Chromium to drive it. */
export async function startBrowserHost(dataDir: string): Promise<BrowserHost> {
  const server: ChildProcess = spawn(process.execPath, [SERVE, '--port', '0'], {
    env: { ...process.env, WORKBENCH_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    server.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      const match = /serving at (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    server.once('exit', (code) => reject(new Error(`the host exited with ${code}: ${output}`)));
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return {
    url,
    browser,
    async close() {
      await browser.close();
      server.kill('SIGTERM');
    },
  };
}
