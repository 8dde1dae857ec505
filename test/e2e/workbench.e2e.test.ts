import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The part of a canvas the test reads, typed here because this file is type-checked without the DOM library. */
interface CanvasLike {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const ROOT = new URL('../../', import.meta.url).pathname;
const SERVE = join(ROOT, 'out/main/serve.js');
const missing = [
  existsSync(SERVE) ? null : `${SERVE} is missing: run \`npm run build\` (npm test does)`,
  existsSync(CHROMIUM) ? null : `${CHROMIUM} is missing: \`apt-get install chromium\``,
].filter((reason): reason is string => reason !== null);
if (missing.length > 0) {
  // In CI this test must run: .ci/run installs Chromium and builds, and fails when it did not run.
  if (process.env['CI']) throw new Error(`end-to-end test cannot run: ${missing.join('; ')}`);
  console.log(`skipping the end-to-end test: ${missing.join('; ')}`);
}

describe.skipIf(missing.length > 0)('the workbench in Chromium through the browser host', () => {
  let server: ChildProcess;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  let url: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'workbench-e2e-'));
    server = spawn(process.execPath, [SERVE, '--port', '0'], {
      env: { ...process.env, WORKBENCH_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    url = await new Promise<string>((resolve, reject) => {
      let output = '';
      server.stdout!.on('data', (chunk: Buffer) => {
        output += chunk;
        const match = /serving at (http:\/\/\S+)/.exec(output);
        if (match) resolve(match[1]!);
      });
      server.once('exit', (code) => reject(new Error(`the host exited with ${code}: ${output}`)));
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', (error) => console.error('page error:', error.message));
  });

  afterAll(async () => {
    await browser?.close();
    server?.kill('SIGTERM');
  });

  it('trains the Transformer preset with a live loss chart and one heatmap per head, stops, and keeps the run on disk', async () => {
    await page.goto(url);
    const start = page.getByTestId('train-start');
    await expect.poll(() => start.isEnabled(), { timeout: 20_000 }).toBe(true);
    await page.getByTestId('preset-select').selectOption('transformer-text');
    await page.getByTestId('dataset-select').selectOption('spam-assassin');
    await expect.poll(() => page.getByTestId('backend-status').textContent(), { timeout: 30_000 }).toMatch(/backend: (tfjs-node-gpu|tfjs-node|wasm|cpu)$/);
    expect(await page.getByTestId('attention-head').count()).toBe(0);

    await start.click();
    const lossPoints = async () => Number(await page.getByTestId('loss-chart').getAttribute('data-points'));
    await expect.poll(lossPoints, { timeout: 90_000 }).toBeGreaterThanOrEqual(3);

    const layerOneHeads = page.locator('[data-testid=attention-head][data-layer="0"]');
    await expect.poll(() => layerOneHeads.count(), { timeout: 30_000 }).toBe(4);
    // Each head's weights vary across the map (min and max apart), and so do its pixels: many distinct colours.
    const headSpread = async (head: number) => {
      const figure = layerOneHeads.nth(head);
      const min = Number(await figure.getAttribute('data-min-weight'));
      const max = Number(await figure.getAttribute('data-max-weight'));
      const colours = await figure.locator('canvas').evaluate((element) => {
        const canvas = element as unknown as CanvasLike;
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        const seen = new Set<number>();
        for (let i = 0; i < data.length; i += 4) seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
        return seen.size;
      });
      return { nonUniform: max > min * 1.5, colours: colours > 10 };
    };
    for (let head = 0; head < 4; head++) {
      await expect.poll(() => headSpread(head), { timeout: 60_000 }).toEqual({ nonUniform: true, colours: true });
    }
    const runStatus = page.getByTestId('run-status');
    expect(await runStatus.textContent()).toBe('running');

    // A little more training, so that the screenshot in the README shows a curve.
    await expect.poll(lossPoints, { timeout: 60_000 }).toBeGreaterThanOrEqual(25);
    await mkdir(join(ROOT, 'docs'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'docs/screenshot.png') });

    await page.getByTestId('train-stop').click();
    await expect.poll(() => runStatus.textContent(), { timeout: 30_000 }).toBe('stopped');
    await expect.poll(() => page.getByTestId('train-start').isEnabled()).toBe(true);

    const runs = await readdir(join(dataDir, 'runs'));
    expect(runs).toHaveLength(1);
    const run = JSON.parse(await readFile(join(dataDir, 'runs', runs[0]!, 'run.json'), 'utf8'));
    expect(run).toMatchObject({ status: 'stopped', datasetId: 'spam-assassin', presetId: 'transformer-text', backend: { name: expect.any(String) } });
    expect(run.spec.nodes.map((n: { op: string }) => n.op)).toContain('transformerEncoder');
    const lines = (await readFile(join(dataDir, 'runs', runs[0]!, 'metrics.ndjson'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0].type).toBe('started');
    expect(lines.filter((l) => l.type === 'progress').length).toBeGreaterThanOrEqual(3);
    expect(lines.at(-1)).toMatchObject({ type: 'finished', status: 'stopped' });

    await mkdir(join(ROOT, 'test-results'), { recursive: true });
    await writeFile(join(ROOT, 'test-results/e2e-ran.txt'), `${new Date().toISOString()} ${run.backend.name}\n`);
  });
});
