import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeywordTopics } from '../../src/engine/data/builtin/keywordTopics';
import { analyzeSpec } from '../../src/shared/architecture/analyzeSpec';
import { parseSpecText } from '../../src/shared/architecture/parseSpecText';
import { PRESETS } from '../../src/shared/architecture/presets';
import { browserHostMissing, ROOT, startBrowserHost, type BrowserHost } from '../support/browserHost';
import { writeCifarFolder } from '../support/datasetFixtures';
import { linkedImageFolder, photoJpeg } from '../support/photoFolder';
import { screenshotPath } from '../support/screenshotPath';
import { parseMetricsLog } from '../../src/main/runs/metricsLog';
import { PNG } from 'pngjs';

/** The part of a canvas the test reads, typed here because this file is type-checked without the DOM library. */
interface CanvasLike {
  width: number;
  height: number;
  getContext(
    kind: '2d',
  ): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}

const missing = browserHostMissing();
if (missing.length > 0) {
  // In CI this test must run: .ci/run installs Chromium and builds, and fails when it did not run.
  if (process.env['CI']) throw new Error(`end-to-end test cannot run: ${missing.join('; ')}`);
  console.log(`skipping the end-to-end test: ${missing.join('; ')}`);
}

/** How many distinct colours a canvas inside the locator shows: a drawn chart or image has many, a blank one one. */
function distinctColours(locator: Locator): Promise<number> {
  return locator
    .locator('canvas')
    .first()
    .evaluate((element) => {
      const canvas = element as unknown as CanvasLike;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      const seen = new Set<number>();
      for (let i = 0; i < data.length; i += 4) seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
      return seen.size;
    });
}

/** Pixel statistics of a PNG file: its size, how many colours it shows, and the share of pixels unlike `background`. */
function pngStatistics(bytes: Buffer, background: [number, number, number]) {
  const png = PNG.sync.read(bytes);
  const seen = new Set<number>();
  let unlike = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    const [r, g, b] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
    seen.add((r << 16) | (g << 8) | b);
    if (Math.abs(r - background[0]) + Math.abs(g - background[1]) + Math.abs(b - background[2]) > 30) unlike++;
  }
  return { width: png.width, height: png.height, colours: seen.size, drawn: unlike / (png.width * png.height) };
}

/** Clicks a figure's PNG or SVG button and reads the file it offers. */
async function exportFigure(page: Page, figure: Locator, format: 'png' | 'svg'): Promise<Buffer> {
  const [download] = await Promise.all([page.waitForEvent('download'), figure.getByTestId(`figure-${format}`).click()]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`\\.${format}$`));
  return readFile((await download.path())!);
}

const WHITE: [number, number, number] = [255, 255, 255];
const svgWidth = (svg: string) => Number(/<svg[^>]* width="(\d+)"/.exec(svg)![1]);

describe.skipIf(missing.length > 0)('the workbench in Chromium through the browser host', () => {
  let host: BrowserHost;
  let page: Page;
  let dataDir: string;
  let url: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'workbench-e2e-'));
    host = await startBrowserHost(dataDir);
    url = host.url;
    page = await host.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', (error) => console.error('page error:', error.message));
  });

  afterAll(async () => {
    await host?.close();
  });

  it('trains the Transformer preset with a live loss chart and one heatmap per head, stops, and keeps the run on disk', async () => {
    await page.goto(url);
    const start = page.getByTestId('train-start');
    await expect.poll(() => start.isEnabled(), { timeout: 20_000 }).toBe(true);
    await page.getByTestId('preset-select').selectOption('transformer-text');
    await page.getByTestId('dataset-select').selectOption('spam-assassin');
    await expect
      .poll(() => page.getByTestId('backend-status').textContent(), { timeout: 30_000 })
      .toMatch(/backend: (tfjs-node-gpu|webgpu|tfjs-node|wasm|cpu)$/);
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
      const colours = await distinctColours(figure);
      return { nonUniform: max > min * 1.5, colours: colours > 10 };
    };
    for (let head = 0; head < 4; head++) {
      await expect.poll(() => headSpread(head), { timeout: 60_000 }).toEqual({ nonUniform: true, colours: true });
    }
    const runStatus = page.getByTestId('run-status');
    expect(await runStatus.textContent()).toBe('running');
    // One data-parallel replica per core by default (a one-core machine trains on one thread, and says nothing).
    const cores = Math.min(32, availableParallelism());
    expect(await page.getByTestId('replicas-status').count()).toBe(cores > 1 ? 1 : 0);
    if (cores > 1) expect(await page.getByTestId('replicas-status').textContent()).toBe(`× ${cores} replicas`);

    // A little more training, so that the screenshot in the README shows a curve.
    await expect.poll(lossPoints, { timeout: 60_000 }).toBeGreaterThanOrEqual(25);
    await page.screenshot({ path: screenshotPath('screenshot.png') });
    // The loss chart as a figure: vector lines and text on white, and the same picture at 3x as PNG.
    const lossFigure = page.getByTestId('loss-chart').getByTestId('figure-export');
    const lossSvg = String(await exportFigure(page, lossFigure, 'svg'));
    expect(lossSvg).toMatch(/<path d="M[^"]{200,}"/);
    expect(lossSvg).toContain('train loss');
    const lossPng = pngStatistics(await exportFigure(page, lossFigure, 'png'), WHITE);
    expect(lossPng.width).toBe(3 * svgWidth(lossSvg));
    expect(lossPng.colours).toBeGreaterThan(30);
    expect(lossPng.drawn).toBeGreaterThan(0.01);
    expect(lossPng.drawn).toBeLessThan(0.5);

    await page.getByTestId('train-stop').click();
    await expect.poll(() => runStatus.textContent(), { timeout: 30_000 }).toBe('stopped');
    await expect.poll(() => page.getByTestId('train-start').isEnabled()).toBe(true);

    const runs = await readdir(join(dataDir, 'runs'));
    expect(runs).toHaveLength(1);
    const run = JSON.parse(await readFile(join(dataDir, 'runs', runs[0]!, 'run.json'), 'utf8'));
    expect(run).toMatchObject({
      status: 'stopped',
      datasetId: 'spam-assassin',
      presetId: 'transformer-text',
      backend: { name: expect.any(String) },
      hyperParams: { replicas: cores },
    });
    expect(run.spec.nodes.map((n: { op: string }) => n.op)).toContain('transformerEncoder');
    const { records, skipped } = parseMetricsLog(
      await readFile(join(dataDir, 'runs', runs[0]!, 'metrics.log'), 'utf8'),
    );
    const lines = records as { type: string }[];
    expect(skipped).toBe(0);
    expect(lines[0].type).toBe('started');
    expect(lines.filter((l) => l.type === 'progress').length).toBeGreaterThanOrEqual(3);
    expect(lines.at(-1)).toMatchObject({ type: 'finished', status: 'stopped' });

    await mkdir(join(ROOT, 'test-results'), { recursive: true });
    await writeFile(join(ROOT, 'test-results/e2e-ran.txt'), `${new Date().toISOString()} ${run.backend.name}\n`);
  });

  it('shows a built-in image set, imports CIFAR-10 and CSV files, previews tokens, names a bad file, and trains on an import', async () => {
    await page.goto(url);
    await expect.poll(() => page.getByTestId('train-start').isEnabled(), { timeout: 20_000 }).toBe(true);
    await page.getByTestId('tab-datasets').click();

    // Built-in MNIST: a paged grid of real digits, ten classes, and the split shown before training.
    await page.locator('[data-testid=dataset-item][data-dataset-id=mnist-digits]').click();
    const grid = page.getByTestId('sample-grid');
    await expect.poll(() => grid.getByTestId('sample-item').count(), { timeout: 30_000 }).toBe(24);
    expect(await distinctColours(grid.getByTestId('sample-item').first())).toBeGreaterThan(5);
    expect(await page.getByTestId('class-chart').getAttribute('data-classes')).toBe('10');
    await expect.poll(() => distinctColours(page.getByTestId('class-chart')), { timeout: 10_000 }).toBeGreaterThan(20);
    const splitCount = async (name: string) => Number((await page.getByTestId(name).textContent())!.replace(/\D/g, ''));
    const [train, validation, test] = [
      await splitCount('split-train'),
      await splitCount('split-validation-count'),
      await splitCount('split-test'),
    ];
    expect(train + validation + test).toBe(10_000);
    expect(Math.abs(validation - 1500)).toBeLessThanOrEqual(10); // 15%, rounded per class (stratified)
    await page.screenshot({ path: screenshotPath('datasets.png') });
    const firstLabels = await grid.getByTestId('sample-label').allTextContents();
    await page.getByTestId('sample-next').click();
    await expect.poll(() => page.getByTestId('sample-range').textContent()).toMatch(/^\s*25–48 of/);
    expect(await grid.getByTestId('sample-label').allTextContents()).not.toEqual(firstLabels);
    // Changing the validation share changes the split at once.
    await page.getByTestId('split-validation').fill('0.3');
    await expect
      .poll(async () => Math.abs((await splitCount('split-validation-count')) - 3000) <= 10, { timeout: 10_000 })
      .toBe(true);

    // A CIFAR-10-format folder: imported with its own test batch as the test split.
    const files = await mkdtemp(join(tmpdir(), 'e2e-files-'));
    await writeCifarFolder(join(files, 'cifar'), 40, 2, 20);
    await page.getByTestId('import-path').fill(join(files, 'cifar'));
    await page.getByTestId('import-start').click();
    await expect
      .poll(() => page.getByTestId('dataset-details').locator('h2').textContent(), { timeout: 30_000 })
      .toBe('cifar');
    await expect.poll(() => splitCount('split-test'), { timeout: 10_000 }).toBe(20);
    await expect.poll(() => grid.getByTestId('sample-item').count()).toBe(24);
    expect(await page.getByTestId('image-summary').textContent()).toMatch(/32×32 pixels, RGB/);
    // The pixel mean says what its numbers are.
    expect(await page.getByTestId('image-summary').textContent()).toMatch(
      /mean pixel value [\d. /]+ \(0–255 per channel\)/,
    );

    // A folder of 1,500 photos (500x375 JPEGs, hard links of 20): decoded by sharp in the decode processes into
    // shards, with the rate and the time left shown while it runs.
    const photos = await Promise.all(
      Array.from({ length: 20 }, async (_, k) => {
        const path = join(files, `photo-${k}.jpg`);
        await writeFile(path, await photoJpeg(k));
        return path;
      }),
    );
    await linkedImageFolder(join(files, 'photos'), photos, 1500, 3);
    await page.getByTestId('import-path').fill(join(files, 'photos'));
    await page.getByTestId('import-start').click();
    await expect
      .poll(() => page.getByTestId('import-rate').textContent(), { timeout: 30_000 })
      .toMatch(/^[\d,]+ \/ 1,500 · [\d,]+ per second · about \d+ (s|min) left$/);
    await expect
      .poll(() => page.getByTestId('dataset-details').locator('h2').textContent(), { timeout: 60_000 })
      .toBe('photos');
    await expect.poll(() => page.getByTestId('dataset-item').count()).toBe(9);
    expect(await page.getByTestId('image-summary').textContent()).toMatch(/32×32 pixels, RGB/);
    // 1,500 images of 3,072 bytes: one shard of 4.4 MB.
    expect(await page.getByTestId('shards-summary').textContent()).toMatch(/On disk in 1 shard of 4\.4 MB/);
    await expect.poll(() => grid.getByTestId('sample-item').count()).toBe(24);

    // A CSV with quoted commas and newlines: a token preview with unknown words marked, and a length histogram.
    const rows = Array.from(
      { length: 60 },
      (_, i) => `"${i % 2 ? 'great, really great' : 'awful\nreally awful'} film number ${i}",${i % 2 ? 'pos' : 'neg'}`,
    );
    await writeFile(join(files, 'reviews.csv'), `text,label\n${rows.join('\n')}\n`);
    await page.getByTestId('import-path').fill(join(files, 'reviews.csv'));
    await page.getByTestId('import-start').click();
    await expect
      .poll(() => page.getByTestId('dataset-details').locator('h2').textContent(), { timeout: 30_000 })
      .toBe('reviews.csv');
    const histogram = page.getByTestId('length-histogram');
    await expect.poll(() => histogram.getAttribute('data-max-length'), { timeout: 10_000 }).toMatch(/^\d+$/);
    await expect.poll(() => distinctColours(histogram), { timeout: 10_000 }).toBeGreaterThan(20);
    await expect.poll(() => page.getByTestId('sample-row').count()).toBeGreaterThan(10);
    // Numbers seen only in validation or test are unknown to a vocabulary learnt on the training split.
    expect(await page.getByTestId('sample-split').selectOption('validation')).toEqual(['validation']);
    await expect
      .poll(() => page.locator('[data-testid=sample-table] .token.unknown').count(), { timeout: 10_000 })
      .toBeGreaterThan(0);
    const wordCoverage = await page.getByTestId('vocab-coverage').textContent();
    await page.getByTestId('tokenizer-select').selectOption('char');
    await expect
      .poll(() => page.getByTestId('vocab-coverage').textContent(), { timeout: 10_000 })
      .not.toBe(wordCoverage);
    expect(await page.locator('[data-testid=sample-row]').first().locator('.token').first().textContent()).toMatch(
      /^\s*\S\s*$/,
    );

    // A ragged CSV is refused with the file and the row; what was imported before stays.
    await writeFile(join(files, 'bad.csv'), 'text,label\nfine,pos\ntoo,many,fields\n');
    await page.getByTestId('import-path').fill(join(files, 'bad.csv'));
    await page.getByTestId('import-start').click();
    await expect
      .poll(() => page.getByTestId('import-error').textContent(), { timeout: 10_000 })
      .toMatch(/bad\.csv, row 3: 3 fields where the first row has 2/);
    expect(await page.getByTestId('dataset-item').count()).toBe(10);

    // The imported reviews train with the preset the dataset brought (a text classifier), with character tokens.
    await page.getByTestId('dataset-train').click();
    await page.getByTestId('epochs-input').fill('1');
    await page.getByTestId('train-start').click();
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 120_000 }).toBe('completed');
    const runs = await readdir(join(dataDir, 'runs'));
    const runFiles = await Promise.all(
      runs.map(async (r) => JSON.parse(await readFile(join(dataDir, 'runs', r, 'run.json'), 'utf8'))),
    );
    expect(runFiles.find((r) => r.datasetId.startsWith('imported-reviews-csv'))).toMatchObject({ status: 'completed' });
  });

  it('builds a Transformer classifier from an empty graph, flags and fixes a wrong head count, saves it, trains it and shows its heads', async () => {
    await page.goto(url);
    await expect.poll(() => page.getByTestId('train-start').isEnabled(), { timeout: 20_000 }).toBe(true);
    await page.getByTestId('preset-select').selectOption('transformer-text');
    await page.getByTestId('dataset-select').selectOption('keyword-topics');
    await page.getByTestId('tab-architecture').click();
    await page.getByTestId('arch-new').click();
    const nodes = page.getByTestId('arch-node');
    expect(await nodes.count()).toBe(0);
    await expect.poll(() => page.getByTestId('arch-errors').textContent()).toMatch(/no input yet/);
    expect(await page.getByTestId('arch-train').isDisabled()).toBe(true);

    // The first block is dragged from the palette onto the canvas; the rest come from the palette's keyboard path:
    // each new block reads the selected one and becomes the selection.
    await page
      .getByTestId('palette-input-tokens')
      .dragTo(page.getByTestId('arch-canvas'), { targetPosition: { x: 400, y: 80 } });
    await expect.poll(() => nodes.count()).toBe(1);
    const node = (id: string) => page.locator(`[data-testid=arch-node][data-node-id=${id}]`);
    await node('tokens').click();
    for (const block of ['embedding', 'positionalEncoding', 'transformerEncoder'])
      await page.getByTestId(`palette-${block}`).click();
    await expect
      .poll(() => node('transformerEncoder').getByTestId('arch-node-facts').textContent())
      .toMatch(/\[64, 64\]/);
    // A head count that does not divide the width 64: the block turns red with inference's message, Train is off.
    await page.getByTestId('param-heads').fill('3');
    await page.getByTestId('param-heads').press('Tab');
    await expect.poll(() => node('transformerEncoder').getAttribute('data-invalid')).toBe('true');
    expect(await page.getByTestId('arch-errors').textContent()).toContain(
      'node "transformerEncoder", parameter "heads": 3 heads do not divide the model width 64',
    );
    await node('transformerEncoder').click();
    const search = page.getByTestId('arch-palette-search');
    await search.fill('pool over sequence');
    await search.press('Enter');
    await page.getByTestId('palette-classifier').click();
    await expect.poll(() => nodes.count()).toBe(6);
    expect(await page.getByTestId('arch-train').isDisabled()).toBe(true);
    expect(await page.getByTestId('arch-status').textContent()).toMatch(/1 problem/);

    // Undo and redo from the keyboard, on the canvas.
    await page.getByTestId('arch-canvas').click({ position: { x: 30, y: 400 } });
    await page.keyboard.press('Control+z');
    await expect.poll(() => nodes.count()).toBe(5);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => nodes.count()).toBe(6);

    // Fix the head count: the graph becomes valid, and the composite block opens to show its inside.
    await node('transformerEncoder').click();
    await page.getByTestId('param-heads').fill('4');
    await page.getByTestId('param-heads').press('Tab');
    await expect.poll(() => page.getByTestId('arch-status').textContent()).toBe('valid');
    expect(await page.locator('[data-testid=arch-node][data-invalid=true]').count()).toBe(0);
    expect(await page.getByTestId('arch-errors').count()).toBe(0);
    await node('transformerEncoder').getByTestId('arch-expand').click();
    expect(await node('transformerEncoder').getByTestId('arch-inner').locator('li').count()).toBe(9);
    await page.getByTestId('arch-canvas').click({ position: { x: 30, y: 400 } });
    await page.getByTestId('arch-name').fill('Drawn encoder');
    await page.getByTestId('arch-name').press('Tab');

    // Save: the file is a ModelSpec the CLI's --spec reads, laid out as drawn.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('arch-save').click()]);
    expect(download.suggestedFilename()).toBe('drawn-encoder.json');
    const savedPath = join(dataDir, 'drawn-encoder.json');
    await download.saveAs(savedPath);
    const saved = parseSpecText(await readFile(savedPath, 'utf8'), 'drawn-encoder.json');
    expect(saved.nodes.map((n) => [n.op, n.inputs.length])).toEqual([
      ['embedding', 1],
      ['positionalEncoding', 1],
      ['transformerEncoder', 1],
      ['globalAveragePool1d', 1],
      ['classifier', 1],
    ]);
    expect(saved.nodes.find((n) => n.op === 'transformerEncoder')!.params).toMatchObject({ heads: 4 });
    expect(Object.keys(saved.layout!).sort()).toEqual(['tokens', ...saved.nodes.map((n) => n.id)].sort());
    // The summary's parameter count is shape inference's for the saved graph.
    const classes = generateKeywordTopics(10, 1).classNames.length;
    const shownParams = Number((await page.getByTestId('arch-total-params').textContent())!.replace(/,/g, ''));
    expect(shownParams).toBe(analyzeSpec(saved, { classes }).totalParams);

    // Open: a broken file is refused by name and the graph stays; the saved file brings the graph back after New.
    const brokenPath = join(dataDir, 'broken.json');
    await writeFile(brokenPath, '{"name": "half');
    await page.getByTestId('arch-open-file').setInputFiles(brokenPath);
    await expect.poll(() => page.getByTestId('arch-message').textContent()).toMatch(/^broken\.json is not JSON: /);
    expect(await nodes.count()).toBe(6);
    await page.getByTestId('arch-new').click();
    await expect.poll(() => nodes.count()).toBe(0);
    await page.getByTestId('arch-open-file').setInputFiles(savedPath);
    await expect.poll(() => nodes.count()).toBe(6);
    expect(await page.getByTestId('arch-status').textContent()).toBe('valid');
    expect(await node('transformerEncoder').getAttribute('data-invalid')).toBe('false');

    // Export the drawing.
    const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('arch-export-png').click()]);
    const pngBytes = await readFile((await png.path())!);
    expect(png.suggestedFilename()).toBe('drawn-encoder.png');
    // Six blocks, their wires and labels on the canvas's dark ground: many colours, a fair share of it drawn on.
    const drawing = pngStatistics(pngBytes, [0x0b, 0x12, 0x22]);
    expect(drawing.colours).toBeGreaterThan(100);
    expect(drawing.drawn).toBeGreaterThan(0.03);
    const [svg] = await Promise.all([page.waitForEvent('download'), page.getByTestId('arch-export-svg').click()]);
    const svgText = await readFile((await svg.path())!, 'utf8');
    expect(svgText.slice(0, 200)).toMatch(/<svg/);
    // The wires and their shape labels are in the picture, painted (they once came out invisible, on black boxes).
    const wires = svgText.match(/<path[^>]*vue-flow__edge-path[^>]*>/g) ?? [];
    expect(wires.length).toBe(5);
    for (const wire of wires) expect(wire).toMatch(/stroke="(?!none)[^"]+"/);
    const labelBoxes = svgText.match(/<rect[^>]*vue-flow__edge-textbg[^>]*>/g) ?? [];
    expect(labelBoxes.length).toBe(5);
    for (const box of labelBoxes) expect(box).not.toMatch(/fill="rgb\(0, 0, 0\)"/);

    // Train what was drawn: run.json holds the drawn spec, and the live view shows the drawn block's 4 heads.
    await page.getByTestId('arch-train').click();
    await page.getByTestId('epochs-input').fill('1');
    await page.getByTestId('train-start').click();
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 120_000 }).toBe('completed');
    const heads = page.locator('[data-testid=attention-head][data-layer="0"]');
    await expect.poll(() => heads.count(), { timeout: 30_000 }).toBe(4);
    expect(await distinctColours(heads.first())).toBeGreaterThan(10);
    const runs = await readdir(join(dataDir, 'runs'));
    const records = await Promise.all(
      runs.map(async (r) => JSON.parse(await readFile(join(dataDir, 'runs', r, 'run.json'), 'utf8'))),
    );
    const drawnRun = records.find((r) => r.spec.name === 'Drawn encoder');
    expect(drawnRun).toMatchObject({ status: 'completed', presetId: null, datasetId: 'keyword-topics' });
    expect(drawnRun.spec.nodes).toEqual(saved.nodes);
  });

  it('brings a training run back after a reload, pauses and resumes it, and shows, compares, resumes and deletes runs', async () => {
    await page.goto(url);
    await expect.poll(() => page.getByTestId('train-start').isEnabled(), { timeout: 20_000 }).toBe(true);
    await page.getByTestId('preset-select').selectOption('transformer-text');
    await page.getByTestId('dataset-select').selectOption('keyword-topics');
    await page.getByTestId('epochs-input').fill('30');
    await page.getByTestId('train-start').click();
    const chart = page.getByTestId('loss-chart');
    const runStatus = page.getByTestId('run-status');
    // One epoch done, so that the run has a checkpoint.
    await expect
      .poll(async () => Number(await chart.getAttribute('data-epochs')), { timeout: 90_000 })
      .toBeGreaterThanOrEqual(1);

    // A reload loses nothing: the run is rebuilt from its log and the live stream, and Stop and Pause reach it.
    await page.reload();
    await expect.poll(() => runStatus.textContent(), { timeout: 30_000 }).toBe('running');
    expect(Number(await chart.getAttribute('data-epochs'))).toBeGreaterThanOrEqual(1);
    expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThan(3);
    await page.getByTestId('pause').click();
    await expect.poll(() => runStatus.textContent(), { timeout: 30_000 }).toBe('paused');
    const pausedAt = Number(await chart.getAttribute('data-points'));
    await page.waitForTimeout(1500);
    expect(Number(await chart.getAttribute('data-points'))).toBeLessThanOrEqual(pausedAt + 1);
    await page.getByTestId('resume').click();
    await expect.poll(() => runStatus.textContent(), { timeout: 30_000 }).toBe('running');
    await page.getByTestId('train-stop').click();
    await expect.poll(() => runStatus.textContent(), { timeout: 30_000 }).toBe('stopped');

    // The epoch slider replays the saved snapshots: after epoch 1, then live again.
    const replay = page.getByTestId('attention-replay');
    await expect
      .poll(async () => Number(await replay.getAttribute('data-epochs')), { timeout: 10_000 })
      .toBeGreaterThanOrEqual(1);
    await page.getByTestId('epoch-slider').fill('0');
    await expect.poll(() => replay.textContent(), { timeout: 10_000 }).toMatch(/after epoch \d+/);
    // The label moves at once; the saved snapshot arrives after it.
    await expect.poll(() => page.locator('[data-testid=attention-head]').count(), { timeout: 10_000 }).toBe(8);

    await page.getByTestId('tab-runs').click();
    const rows = page.getByTestId('run-row');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    const newest = rows.first();
    const runId = (await newest.getAttribute('data-run-id'))!;
    expect(await newest.getAttribute('data-status')).toBe('stopped');

    // Opened: its checkpoints, and a new name that the list shows.
    await newest.getByTestId('run-open').click();
    await expect
      .poll(() => page.locator('[data-testid=checkpoint-list] [data-slot=latest]').count(), { timeout: 10_000 })
      .toBe(1);
    expect(await page.getByTestId('run-detail-title').textContent()).toMatch(/^Run: /);
    // Its heads over training (the Attention section): entropy per head of both layers, one series each.
    await page.getByTestId('run-section-attention').click();
    await expect.poll(() => page.getByTestId('head-stats').getAttribute('data-series'), { timeout: 10_000 }).toBe('8');
    // Its test report: a 3 x 3 confusion matrix over the test split; a cell lists its examples.
    await page.getByTestId('run-section-evaluation').click();
    const cells = page.getByTestId('confusion-cell');
    await expect.poll(() => cells.count(), { timeout: 10_000 }).toBe(9);
    const counts = await cells.evaluateAll((all) => all.map((cell) => Number(cell.getAttribute('data-count'))));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(150);
    await cells.nth(1).click();
    expect(await page.getByTestId('mistake').count()).toBe(Math.min(50, counts[1]!));
    await page.getByTestId('run-name').fill('Reloaded and paused');
    await page.getByTestId('run-name').press('Enter');
    await expect
      .poll(() => newest.getByTestId('run-open').textContent(), { timeout: 10_000 })
      .toBe('Reloaded and paused');

    // Two runs compared: one chart with two curves, and the hyper-parameters that differ marked.
    await page.getByTestId(`select-${runId}`).check();
    await page.getByTestId(`select-${(await rows.nth(1).getAttribute('data-run-id'))!}`).check();
    await page.getByTestId('runs-compare').click();
    await expect
      .poll(() => page.getByTestId('compare-chart').getAttribute('data-series'), { timeout: 10_000 })
      .toBe('2');
    expect(await page.locator('[data-testid=run-compare] tr[data-differs=true]').count()).toBeGreaterThan(0);
    await expect
      .poll(() => distinctColours(page.getByTestId('compare-chart')), { timeout: 10_000 })
      .toBeGreaterThan(10);
    await page.screenshot({ path: screenshotPath('runs.png'), fullPage: true });

    // Resumed from its checkpoint in the Runs view, then stopped again.
    const statusAfterRefresh = async () => {
      await page.getByTestId('runs-refresh').click();
      return newest.getAttribute('data-status');
    };
    await newest.getByTestId('run-resume').click();
    await expect.poll(statusAfterRefresh, { timeout: 60_000 }).toBe('running');
    await newest.getByTestId('run-stop').click();
    await expect.poll(statusAfterRefresh, { timeout: 60_000 }).toBe('stopped');

    // Deleted after a confirmation: gone from the list and from the disk.
    const count = await rows.count();
    page.once('dialog', (dialog) => void dialog.accept());
    await newest.getByTestId('run-delete').click();
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(count - 1);
    expect(await readdir(join(dataDir, 'runs'))).not.toContain(runId);
  });

  it("draws an image model's spatial gates over its input image, with an opacity slider, and its channel gates as bars", async () => {
    await page.goto(url);
    await expect.poll(() => page.getByTestId('train-start').isEnabled(), { timeout: 20_000 }).toBe(true);
    await page.getByTestId('preset-select').selectOption('conv-attention-image');
    await page.getByTestId('dataset-select').selectOption('object-in-clutter');
    await page.getByTestId('train-start').click();
    await page.getByTestId('tab-train').click();
    // The first snapshot comes before the first step: the sample image and the three CBAM blocks' gates.
    const overlay = page.getByTestId('spatial-overlay');
    await expect.poll(() => overlay.count(), { timeout: 60_000 }).toBe(1);
    expect(await page.getByTestId('channel-bars').getAttribute('data-blocks')).toBe('3');
    expect(await page.getByTestId('spatial-layer').locator('option').count()).toBe(3);
    const image = page.getByTestId('image-attention');
    await expect.poll(() => distinctColours(image), { timeout: 10_000 }).toBeGreaterThan(50);
    // Without the overlay the picture is the sample alone: other pixels than with it.
    const pixels = () =>
      overlay.evaluate((element) => {
        const canvas = element as unknown as CanvasLike;
        return Array.from(canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data).join(',');
      });
    await page.getByTestId('image-attention').screenshot({ path: screenshotPath('image-attention.png') });
    const withOverlay = await pixels();
    await page.getByTestId('attention-opacity').fill('0');
    await expect.poll(pixels, { timeout: 5_000 }).not.toBe(withOverlay);
    await page.getByTestId('train-stop').click();
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 60_000 }).toBe('stopped');
  });

  it("draws a Vision Transformer's attention rollout and each head's class-token attention over the image's patches", async () => {
    await page.goto(url);
    await expect.poll(() => page.getByTestId('train-start').isEnabled(), { timeout: 20_000 }).toBe(true);
    await page.getByTestId('preset-select').selectOption('vit-image');
    await page.getByTestId('dataset-select').selectOption('mnist-digits');
    await page.getByTestId('train-start').click();
    await page.getByTestId('tab-train').click();
    // The first snapshot comes before the first step: the rollout through 3 encoders, 4 heads of the first one.
    const rollout = page.getByTestId('patch-rollout');
    await expect.poll(() => rollout.count(), { timeout: 60_000 }).toBe(1);
    expect(await rollout.getAttribute('data-layers')).toBe('3');
    expect(await rollout.getAttribute('data-strongest')).toMatch(/^r[0-6]c[0-6]$/);
    expect(await page.getByTestId('patch-head').count()).toBe(4);
    expect(await page.getByTestId('patch-layer').locator('option').count()).toBe(3);
    const view = page.getByTestId('patch-attention');
    await expect.poll(() => distinctColours(view), { timeout: 10_000 }).toBeGreaterThan(30);
    const pixels = () =>
      rollout.evaluate((element) => {
        const canvas = element as unknown as CanvasLike;
        return Array.from(canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data).join(',');
      });
    await view.screenshot({ path: screenshotPath('vit-patch-attention.png') });
    const withOverlay = await pixels();
    await page.getByTestId('patch-opacity').fill('0');
    await expect.poll(pixels, { timeout: 5_000 }).not.toBe(withOverlay);
    // Another layer's heads: the grid is redrawn from that layer's maps.
    await page.getByTestId('patch-layer').selectOption({ index: 2 });
    expect(await page.getByTestId('patch-head').count()).toBe(4);
    await page.getByTestId('train-stop').click();
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 60_000 }).toBe('stopped');
  });

  it('asks trained runs in the playground (typed text, a row, an image) and shows a mistake with its attention', async () => {
    await page.goto(url);
    await expect.poll(() => page.getByTestId('train-start').isEnabled(), { timeout: 20_000 }).toBe(true);
    await page.getByTestId('preset-select').selectOption('transformer-text');
    await page.getByTestId('dataset-select').selectOption('keyword-topics');
    await page.getByTestId('epochs-input').fill('2');
    await page.getByTestId('train-start').click();
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 120_000 }).toBe('completed');
    // The finished run's slider lists its last epoch without a reload, its places labelled with their epochs.
    await expect
      .poll(() => page.getByTestId('epoch-ticks').locator('span').allTextContents(), { timeout: 10_000 })
      .toEqual(expect.arrayContaining(['1', '2', 'live']));
    // Each head's caption keeps its distance, in tokens, on a line of its own that is not cut.
    const distance = page.getByTestId('head-distance').first();
    expect(await distance.textContent()).toMatch(/^distance \d+\.\d tokens$/);
    expect(
      await distance.evaluate(
        (e) =>
          (e as unknown as { scrollWidth: number; clientWidth: number }).scrollWidth <=
          (e as unknown as { clientWidth: number }).clientWidth,
      ),
    ).toBe(true);

    // The misclassified browser: a mistake of the test report, asked again, with its attention.
    await page.getByTestId('tab-runs').click();
    await page.getByTestId('run-row').first().getByTestId('run-open').click();
    await page.getByTestId('run-section-evaluation').click();
    // The confusion matrix as a figure: 3x3 counts that add up to the test split, shaded on white.
    const confusionFigure = page.getByTestId('eval-view').getByTestId('figure-export');
    const confusionSvg = String(await exportFigure(page, confusionFigure, 'svg'));
    const counts = [...confusionSvg.matchAll(/dominant-baseline="central" fill="#(?:ffffff|0f172a)">(\d+)</g)].map(
      (m) => Number(m[1]),
    );
    expect(counts).toHaveLength(9);
    const examples = Number(
      /Test split: (\d+) examples/.exec((await page.getByTestId('eval-view').textContent())!)![1],
    );
    expect(counts.reduce((a, b) => a + b, 0)).toBe(examples);
    const confusionPng = pngStatistics(await exportFigure(page, confusionFigure, 'png'), WHITE);
    expect(confusionPng.colours).toBeGreaterThan(20);
    expect(confusionPng.drawn).toBeGreaterThan(0.1);
    const mistakes = page.getByTestId('mistake');
    await expect.poll(() => mistakes.count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const row = await mistakes.first().getAttribute('data-row');
    await mistakes.first().click();
    const inspected = page.getByTestId('mistake-attention');
    await expect.poll(() => inspected.getByTestId('attention-head').count(), { timeout: 30_000 }).toBe(8);
    expect(await inspected.getAttribute('data-row')).toBe(row);
    expect(await inspected.textContent()).toMatch(/expected \S+, predicted \S+/);

    // Typed text: every class's probability (they sum to 1), each head over the typed words, rollout, lines.
    await page.getByTestId('tab-playground').click();
    await expect
      .poll(() => page.getByTestId('playground-run').locator('option').count(), { timeout: 10_000 })
      .toBeGreaterThan(0);
    // Runs are picked by name, dataset, accuracy and date, not by id.
    expect(await page.getByTestId('playground-run').locator('option').first().textContent()).toMatch(
      /^\s*Transformer encoder classifier · keyword-topics · \d+\.\d% val accuracy · \w{3} \d+, \d{4}/,
    );
    // The text box is drawn as the other fields are.
    const fieldBackground = (testid: string) =>
      page
        .getByTestId(testid)
        .evaluate(
          (e) =>
            (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(e)
              .backgroundColor,
        );
    expect(await fieldBackground('playground-text')).toBe(await fieldBackground('sample-row'));
    await page.getByTestId('playground-text').fill('the team scored a late goal in the final match');
    await page.getByTestId('playground-predict').click();
    const output = page.getByTestId('playground-output');
    await expect.poll(() => output.getByTestId('class-probability').count(), { timeout: 30_000 }).toBe(3);
    // The answer in plain words: the top class and its probability.
    const top = await output.getByTestId('class-probability').first().locator('th').textContent();
    expect(await output.getByTestId('prediction-verdict').textContent()).toMatch(
      new RegExp(`^\\s*Predicted: ${top} \\(\\d+\\.\\d%\\)\\s*$`),
    );
    const probabilities = await output
      .locator('[data-probability]')
      .evaluateAll((cells) => cells.map((cell) => Number(cell.getAttribute('data-probability'))));
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    expect(await output.getByTestId('attention-head').count()).toBe(8);
    expect(await output.getByTestId('rollout-token').count()).toBe(10);
    await output.screenshot({ path: screenshotPath('playground.png') });
    await output.getByTestId('mode-lines').click();
    expect(Number(await output.getByTestId('attention-lines').getAttribute('data-lines'))).toBeGreaterThan(10);
    const allLines = Number(await output.getByTestId('attention-lines').getAttribute('data-lines'));
    await output.getByTestId('attention-lines').locator('text').first().hover();
    await expect
      .poll(async () => Number(await output.getByTestId('attention-lines').getAttribute('data-lines')))
      .toBeLessThan(allLines);
    await output.getByTestId('mode-matrix').click();
    // The focused head as a figure: a cell per query and key (10 typed words), the PNG at 3x, mostly heatmap.
    const headFigure = output.getByTestId('attention-focus').getByTestId('figure-export');
    const headSvg = String(await exportFigure(page, headFigure, 'svg'));
    expect(headSvg.match(/<rect [^>]*><title>/g)).toHaveLength(100);
    const headPng = pngStatistics(await exportFigure(page, headFigure, 'png'), WHITE);
    expect(headPng.width).toBe(3 * svgWidth(headSvg));
    expect(headPng.colours).toBeGreaterThan(20);
    expect(headPng.drawn).toBeGreaterThan(0.25);
    await output
      .getByTestId('attention-focus')
      .locator('canvas')
      .hover({ position: { x: 200, y: 200 } });
    expect(await output.getByTestId('focus-hover').textContent()).toMatch(/^\S+ → \S+: \d\.\d{3}$/);

    // A validation row, with its right answer.
    await page.getByTestId('sample-row').fill('4');
    await page.getByTestId('sample-show').click();
    await expect.poll(() => output.getByTestId('prediction-label').count(), { timeout: 30_000 }).toBe(1);

    // An image run: a picked file (any size) predicted with its gates over it; the validation grid of maps.
    await page.getByTestId('tab-train').click();
    await page.getByTestId('preset-select').selectOption('conv-attention-image');
    await page.getByTestId('dataset-select').selectOption('object-in-clutter');
    await page.getByTestId('epochs-input').fill('1');
    await page.getByTestId('recipe-toggle').click();
    await page.getByTestId('recipe-max-train').fill('64');
    // The status bar still says "completed" of the text run until the image run is shown: wait for the new run.
    const textRun = await page.getByTestId('run-status').getAttribute('data-run-id');
    await page.getByTestId('train-start').click();
    await expect
      .poll(
        async () => {
          const status = page.getByTestId('run-status');
          return (await status.getAttribute('data-run-id')) !== textRun && (await status.textContent()) === 'completed';
        },
        { timeout: 120_000 },
      )
      .toBe(true);
    const imageRun = String(await page.getByTestId('run-status').getAttribute('data-run-id'));
    await page.getByTestId('tab-playground').click();
    // The run list is fetched when the tab opens: wait for the image run to be listed before choosing it.
    await expect
      .poll(() => page.getByTestId('playground-run').locator(`option[value="${imageRun}"]`).count(), {
        timeout: 10_000,
      })
      .toBe(1);
    await page.getByTestId('playground-run').selectOption(imageRun);
    const picture = join(dataDir, 'picture.png');
    await writeFile(
      picture,
      PNG.sync.write(Object.assign(new PNG({ width: 50, height: 30 }), { data: Buffer.alloc(50 * 30 * 4, 200) })),
    );
    await page.getByTestId('playground-file').setInputFiles(picture);
    const overlay = output.getByTestId('attention-overlay');
    await expect.poll(() => overlay.count(), { timeout: 30_000 }).toBe(1);
    expect(await overlay.locator('canvas').count()).toBe(1);
    expect(await output.getByTestId('class-probability').count()).toBeGreaterThan(1);
    await page.getByTestId('validation-grid-fill').click();
    await expect.poll(() => page.getByTestId('validation-grid-item').count(), { timeout: 60_000 }).toBe(12);
    await expect
      .poll(() => distinctColours(page.getByTestId('validation-grid-item').first()), { timeout: 10_000 })
      .toBeGreaterThan(20);
  });

  it('trains an attention model against its matched fully connected baseline and shows and saves the report', async () => {
    await page.goto(url);
    await expect.poll(() => page.getByTestId('train-start').isEnabled(), { timeout: 20_000 }).toBe(true);
    await page.getByTestId('preset-select').selectOption('transformer-text');
    await page.getByTestId('dataset-select').selectOption('keyword-topics');
    await page.getByTestId('epochs-input').fill('2');
    await page.getByTestId('recipe-toggle').click();
    await page.getByTestId('recipe-max-train').fill('400');
    await page.getByTestId('compare-baseline').click();
    // The Train view follows both: the attention model trains first, the baseline waits, then trains.
    const progress = page.getByTestId('comparison-run');
    await expect.poll(() => progress.count(), { timeout: 20_000 }).toBe(2);
    await expect
      .poll(() => progress.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-status'))), {
        timeout: 240_000,
      })
      .toEqual(['completed', 'completed']);
    // Its report is linked from there once written, and opens in the Runs view.
    const link = page.getByTestId('comparison-report-link');
    await expect.poll(() => link.count(), { timeout: 20_000 }).toBe(1);
    expect(await link.textContent()).toMatch(/comparisons\/cmp-[0-9a-f]{12}\.html/);
    await link.getByRole('button').click();
    const item = page.getByTestId('comparison-item');
    await expect.poll(() => item.count(), { timeout: 20_000 }).toBe(1);
    const report = page.getByTestId('compare-report');
    await expect.poll(() => report.getAttribute('data-status'), { timeout: 20_000 }).toBe('done');
    const rows = report.getByTestId('compare-report-row');
    expect(await rows.evaluateAll((r) => r.map((row) => row.getAttribute('data-role')))).toEqual([
      'attention',
      'fully connected',
    ]);
    for (const text of await report.getByTestId('compare-report-test').allTextContents()) {
      expect(text).toMatch(/^\d+\.\d%$/);
    }
    const path = await report.getByTestId('compare-report-path').textContent();
    expect(path).toMatch(/comparisons\/cmp-[0-9a-f]{12}\.html$/);
    await expect.poll(() => report.getByTestId('compare-chart').getAttribute('data-series')).toBe('2');
    await report.screenshot({ path: screenshotPath('attention-vs-fully-connected.png') });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      report.getByTestId('compare-report-save').click(),
    ]);
    const saved = await readFile((await download.path())!, 'utf8');
    expect(saved).toBe(await readFile(path!, 'utf8'));
    expect(saved.match(/<svg /g)).toHaveLength(2);
  });

  it('opens every preset in the editor valid, and photographs it', async () => {
    await page.goto(url);
    await expect.poll(() => page.getByTestId('train-start').isEnabled(), { timeout: 20_000 }).toBe(true);
    await page.getByTestId('tab-architecture').click();
    for (const preset of PRESETS) {
      await page.getByTestId('arch-preset').selectOption(preset.id);
      const blocks = preset.spec.inputs.length + preset.spec.nodes.length;
      await expect.poll(() => page.getByTestId('arch-node').count()).toBe(blocks);
      await expect.poll(() => page.getByTestId('arch-status').textContent()).toBe('valid');
      expect(await page.getByTestId('arch-train').isEnabled()).toBe(true);
      await page.waitForTimeout(400); // the fit-to-view transition
      await page.screenshot({ path: screenshotPath(`architecture-${preset.id}.png`) });
    }
    // A composite block opened to show its inside, over its neighbours.
    await page.getByTestId('arch-preset').selectOption('transformer-text');
    await page.locator('[data-testid=arch-node][data-node-id=encoder1]').getByTestId('arch-expand').click();
    await page.waitForTimeout(400);
    await page.screenshot({ path: screenshotPath('architecture-inside.png') });
  });
});
