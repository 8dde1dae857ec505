import { spawn } from 'node:child_process';
import { chromium } from 'playwright-core';
const server = spawn(process.execPath, ['out/main/serve.js', '--port', '0'], { env: { ...process.env, WORKBENCH_DATA_DIR: '/tmp/look-data' }, stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((r) => { let o = ''; server.stdout.on('data', (c) => { o += c; const m = /serving at (http:\/\/\S+)/.exec(o); if (m) r(m[1]); }); });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
const scheme = process.env.SCHEME ?? 'dark';
const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: scheme, locale: process.env.LOC ?? 'en-US' });
page.on('pageerror', (e) => console.log('pageerror', e.message));
page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.log('console', m.text()); });
await page.goto(url);
await page.waitForTimeout(2500);
for (const tab of (process.env.TABS ?? 'train').split(',')) {
  await page.getByTestId(`tab-${tab}`).click();
  await page.waitForTimeout(1200);
  await page.screenshot({ path: `/tmp/shots/${tab}-${scheme}.png` });
}
await browser.close(); server.kill();
