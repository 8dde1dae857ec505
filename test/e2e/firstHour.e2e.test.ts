import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserHostMissing, ROOT, startBrowserHost, type BrowserHost } from '../support/browserHost';
import { trainShortRun } from '../support/trainedRun';
import { screenshotPath } from '../support/screenshotPath';

/** The page's getComputedStyle, typed here because this file is type-checked without the DOM library. */
interface StyleReader {
  getComputedStyle(element: unknown): Record<string, string>;
}
/** The page's document, typed here for the same reason. */
interface FocusReader {
  document: { activeElement: { getAttribute(name: string): string | null } | null };
}
const computedStyle = (element: unknown, name: string) =>
  (globalThis as unknown as StyleReader).getComputedStyle(element)[name] ?? '';

const TABS = ['datasets', 'architecture', 'train', 'runs', 'playground'] as const;
type Tab = (typeof TABS)[number];

const missing = browserHostMissing();
if (missing.length > 0) {
  if (process.env['CI']) throw new Error(`the first-hour test cannot run: ${missing.join('; ')}`);
  console.log(`skipping the first-hour test: ${missing.join('; ')}`);
}

/** The view a tab shows is ready: its main landmark is drawn and the app has stopped loading. */
async function showTab(page: Page, tab: Tab): Promise<void> {
  await page.getByTestId(`tab-${tab}`).click();
  await expect.poll(() => page.getByTestId(`tab-${tab}`).getAttribute('aria-current')).toBe('page');
  await page.waitForTimeout(400);
}

/** The colour of the page's background in a screenshot: its bottom-right pixel, under no view's content. */
function backgroundOf(png: Buffer): [number, number, number] {
  const image = PNG.sync.read(png);
  const i = (image.width * (image.height - 40) + image.width - 4) * 4;
  return [image.data[i]!, image.data[i + 1]!, image.data[i + 2]!];
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
const overlap = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

const luminance = ([r, g, b]: number[]) => 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;

describe.skipIf(missing.length > 0)(
  "a new user's first hour in Chromium: languages, themes, and what it tripped on",
  () => {
    let host: BrowserHost;

    beforeAll(async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'workbench-first-hour-'));
      trainShortRun(dataDir);
      host = await startBrowserHost(dataDir);
    });

    afterAll(async () => {
      await host?.close();
    });

    it('switches an English window to 中文 in Settings, every view, remembered; a Chinese system gets it at once', async () => {
      const context = await host.browser.newContext({ locale: 'en-US', viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      await page.goto(host.url);
      await expect.poll(() => page.getByTestId('tab-datasets').innerText(), { timeout: 20_000 }).toBe('Datasets');
      await page.getByTestId('settings-toggle').click();
      await page.getByTestId('settings-language').selectOption('zh-CN');
      await page.getByTestId('settings-toggle').click();
      await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('zh-CN');
      expect(await page.getByRole('navigation').first().innerText()).toMatch(
        /数据集\s+网络结构\s+训练\s+训练记录\s+试验场/,
      );

      // One thing each view says, as a Chinese course would say it.
      const says: Record<Tab, RegExp> = {
        datasets: /导入数据集/,
        architecture: /自动布局/,
        train: /损失与准确率/,
        runs: /最佳验证准确率/,
        playground: /预测|训练记录/,
      };
      for (const tab of TABS) {
        await showTab(page, tab);
        await expect.poll(() => page.locator('main').innerText(), { timeout: 10_000 }).toMatch(says[tab]);
      }
      await showTab(page, 'architecture');
      await page.getByTestId('arch-node').first().click();
      await page.screenshot({ path: screenshotPath('chinese.png') });
      await showTab(page, 'train');
      expect(await page.getByTestId('train-start').innerText()).toBe('训练');
      expect(await page.getByTestId('epochs-input').locator('xpath=..').innerText()).toContain('训练轮数');
      expect(await page.getByTestId('backend-status').innerText()).toMatch(/^后端：/);
      // Remembered: a reload comes back in 中文 although the system is English.
      await page.reload();
      await expect.poll(() => page.getByTestId('tab-datasets').innerText(), { timeout: 20_000 }).toBe('数据集');
      await context.close();

      // A Chinese system is spoken to in 中文 from the first screen, with nothing chosen.
      const chinese = await host.browser.newContext({ locale: 'zh-CN' });
      const first = await chinese.newPage();
      await first.goto(host.url);
      await expect.poll(() => first.getByTestId('tab-runs').innerText(), { timeout: 20_000 }).toBe('训练记录');
      await chinese.close();
    });

    for (const theme of ['light', 'dark'] as const) {
      it(`shows every tab in the ${theme} theme with every text at 4.5:1 or more (axe-core)`, async () => {
        // The system asks for the other theme: the setting must win over it.
        const system = theme === 'light' ? 'dark' : 'light';
        const context = await host.browser.newContext({ colorScheme: system, viewport: { width: 1440, height: 900 } });
        const page = await context.newPage();
        await page.goto(host.url);
        await expect.poll(() => page.locator('html').getAttribute('data-theme'), { timeout: 20_000 }).toBe(system);
        await page.getByTestId('settings-toggle').click();
        await page.getByTestId('settings-theme').selectOption(theme);
        await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe(theme);
        await page.getByTestId('settings-toggle').click();

        const folder = join(ROOT, 'test-results/themes');
        await mkdir(folder, { recursive: true });
        const problems: string[] = [];
        const check = async (shown: string) => {
          const { violations } = await new AxeBuilder({ page: page as never })
            .withTags(['wcag2a', 'wcag2aa'])
            .analyze();
          for (const violation of violations) {
            if (violation.impact !== 'serious' && violation.impact !== 'critical') continue;
            const where = violation.nodes
              .slice(0, 3)
              .map((node) => `${node.target.join(' ')}: ${node.failureSummary?.split('\n').slice(1).join(' ')}`);
            problems.push(`${theme} ${shown}: ${violation.id} (${violation.nodes.length}) ${where.join(' | ')}`);
          }
        };
        for (const tab of TABS) {
          await showTab(page, tab);
          const shot = await page.screenshot({ path: join(folder, `${tab}-${theme}.png`) });
          const background = luminance(backgroundOf(shot));
          expect(theme === 'light' ? background > 200 : background < 60, `${tab}: background ${background}`).toBe(true);
          await check(tab);
        }
        // The run's own pages too: its curves, its test report with the shaded confusion matrix, its heads.
        await showTab(page, 'runs');
        await page.getByTestId('run-row').first().getByTestId('run-open').click();
        for (const section of ['overview', 'evaluation', 'attention', 'setup']) {
          await page.getByTestId(`run-section-${section}`).click();
          await page.waitForTimeout(300);
          await check(`run ${section}`);
        }
        await page.screenshot({ path: join(folder, `run-${theme}.png`), fullPage: true });
        // A prediction in the playground, with its probabilities and its attention.
        await showTab(page, 'playground');
        await page.getByTestId('sample-show').click();
        await expect.poll(() => page.getByTestId('attention-head').count(), { timeout: 30_000 }).toBeGreaterThan(0);
        await check('playground prediction');
        await page.screenshot({ path: screenshotPath(`theme-${theme}.png`) });
        expect(problems).toEqual([]);
        await context.close();
      });
    }

    it('opens a 15-block preset at a readable zoom, its inputs in view, with a minimap that folds away', async () => {
      const page = await host.browser.newPage({ viewport: { width: 1280, height: 720 } });
      await page.goto(host.url);
      await expect.poll(() => page.getByTestId('train-start').isEnabled(), { timeout: 20_000 }).toBe(true);
      await page.getByTestId('preset-select').selectOption('conv-attention-image');
      await showTab(page, 'architecture');
      await expect.poll(() => page.getByTestId('arch-node').count()).toBe(15);
      const zoom = async () => {
        const transform = await page.locator('.vue-flow__transformationpane').evaluate(computedStyle, 'transform');
        return Number(/matrix\(([\d.]+)/.exec(transform)?.[1] ?? 0);
      };
      await expect.poll(zoom, { timeout: 5_000 }).toBeGreaterThanOrEqual(0.75);
      // The first block (the image input) is inside the canvas, not scrolled past.
      const canvas = (await page.getByTestId('arch-canvas').boundingBox())!;
      const input = (await page.locator('[data-testid=arch-node][data-node-id=image]').boundingBox())!;
      expect(input.y).toBeGreaterThanOrEqual(canvas.y);
      expect(input.y + input.height).toBeLessThanOrEqual(canvas.y + canvas.height);
      // A block's name is drawn at 9 px or more.
      const name = page.locator('[data-testid=arch-node] strong').first();
      const fontSize = Number((await name.evaluate(computedStyle, 'fontSize')).replace('px', ''));
      expect(fontSize * (await zoom())).toBeGreaterThanOrEqual(9);

      expect(await page.getByTestId('arch-minimap').count()).toBe(1);
      await page.getByTestId('arch-minimap-toggle').click();
      expect(await page.getByTestId('arch-minimap').count()).toBe(0);
      expect(await page.getByTestId('arch-minimap-toggle').getAttribute('aria-pressed')).toBe('false');
      await page.close();
    });

    it('keeps the training toolbar in the Train view, where Train buttons elsewhere lead, with the heads above the fold', async () => {
      const page = await host.browser.newPage({ viewport: { width: 1280, height: 720 } });
      await page.goto(host.url);
      await expect.poll(() => page.getByTestId('train-start').isEnabled(), { timeout: 20_000 }).toBe(true);
      // The attention panel starts inside the first screen, under the header and beside the curves.
      const attention = (await page.getByTestId('attention-panel').boundingBox())!;
      expect(attention.y).toBeLessThan(720 - 100);
      // At 1440 px the toolbar is one row: its first control and its last share a line.
      await page.setViewportSize({ width: 1440, height: 900 });
      const first = (await page.getByTestId('preset-select').boundingBox())!;
      const last = (await page.getByTestId('recipe-toggle').boundingBox())!;
      expect(Math.abs(first.y + first.height - (last.y + last.height))).toBeLessThan(12);
      await page.setViewportSize({ width: 1280, height: 720 });
      for (const tab of ['datasets', 'architecture', 'runs', 'playground'] as const) {
        await showTab(page, tab);
        expect(await page.getByTestId('train-start').count(), tab).toBe(0);
      }
      // The editor's Train… and the dataset's Train on this dataset… open the Train view, nothing starts out of sight.
      await showTab(page, 'architecture');
      await page.getByTestId('arch-train').click();
      expect(await page.getByTestId('tab-train').getAttribute('aria-current')).toBe('page');
      expect(await page.getByTestId('run-status').count()).toBe(0);
      await showTab(page, 'datasets');
      await page.locator('[data-testid=dataset-item][data-dataset-id=keyword-topics]').click();
      await page.getByTestId('dataset-train').click();
      expect(await page.getByTestId('tab-train').getAttribute('aria-current')).toBe('page');
      expect(await page.getByTestId('dataset-select').inputValue()).toBe('keyword-topics');
      await page.close();
    });

    it('says so when a dataset of another task replaces the architecture, and undoes it', async () => {
      const page = await host.browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.goto(host.url);
      await expect.poll(() => page.getByTestId('train-start').isEnabled(), { timeout: 20_000 }).toBe(true);
      await page.getByTestId('preset-select').selectOption('conv-attention-image');
      expect(await page.getByTestId('switch-notice').count()).toBe(0);
      await showTab(page, 'datasets');
      await page.locator('[data-testid=dataset-item][data-dataset-id=keyword-topics]').click();
      const notice = page.getByTestId('switch-notice');
      await expect.poll(() => notice.count()).toBe(1);
      expect(await notice.innerText()).toMatch(/another task/);
      await showTab(page, 'train');
      expect(await page.getByTestId('preset-select').inputValue()).not.toBe('conv-attention-image');
      await notice.getByTestId('switch-undo').click();
      expect(await page.getByTestId('preset-select').inputValue()).toBe('conv-attention-image');
      expect(await page.getByTestId('dataset-select').inputValue()).toBe('object-in-clutter');
      expect(await notice.count()).toBe(0);
      await page.close();
    });
    it('keeps figure buttons off the charts they export: no axis title, legend or subtitle under them', async () => {
      const page = await host.browser.newPage({ viewport: { width: 1280, height: 720 } });
      await page.goto(host.url);
      await showTab(page, 'runs');
      await page.getByTestId('run-row').first().getByTestId('run-open').click();
      const chart = page.getByTestId('run-detail').getByTestId('loss-chart');
      await expect.poll(() => chart.getByTestId('figure-export').count(), { timeout: 10_000 }).toBe(1);
      const buttons = (await chart.getByTestId('figure-export').boundingBox())!;
      const plot = (await chart.locator('canvas').first().boundingBox())!;
      expect(overlap(buttons, plot)).toBe(false);

      await page.getByTestId('run-section-attention').click();
      const rollout = page.getByTestId('attention-rollout');
      await expect.poll(() => rollout.count(), { timeout: 10_000 }).toBe(1);
      const rolloutButtons = (await rollout.getByTestId('figure-export').boundingBox())!;
      const subtitle = (await rollout.locator('h3 small').boundingBox())!;
      expect(overlap(rolloutButtons, subtitle)).toBe(false);
      const history = page.getByTestId('head-stats');
      const historyButtons = (await page.locator('.head-history').getByTestId('figure-export').boundingBox())!;
      expect(overlap(historyButtons, (await history.locator('canvas').first().boundingBox())!)).toBe(false);
      await page.close();
    });
    it('reaches every action from the keyboard, with a visible focus, and reads charts and heatmaps to screen readers', async () => {
      const page = await host.browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.goto(host.url);
      await expect.poll(() => page.getByTestId('train-start').isEnabled(), { timeout: 20_000 }).toBe(true);
      // Tab from the top of the page reaches the views' tabs; the focused one is ringed; Enter opens it.
      const focused = () =>
        page.evaluate(
          () => (globalThis as unknown as FocusReader).document.activeElement?.getAttribute('data-testid') ?? null,
        );
      for (let presses = 0; presses < 10 && (await focused()) !== 'tab-datasets'; presses++)
        await page.keyboard.press('Tab');
      expect(await focused()).toBe('tab-datasets');
      expect(await page.getByTestId('tab-datasets').evaluate(computedStyle, 'outlineStyle')).not.toBe('none');
      await page.keyboard.press('Enter');
      expect(await page.getByTestId('tab-datasets').getAttribute('aria-current')).toBe('page');

      // A run opened and its heads chosen with Enter and Space.
      await showTab(page, 'runs');
      await page.getByTestId('run-row').first().getByTestId('run-open').focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId('run-detail').count()).toBe(1);
      // The curves as a table for screen readers: one row per epoch.
      const curves = page.getByRole('table', { name: /training curves/ });
      await expect.poll(() => curves.locator('tbody tr').count(), { timeout: 10_000 }).toBeGreaterThan(0);
      await page.getByTestId('run-section-attention').focus();
      await page.keyboard.press('Space');
      const second = page.getByRole('button', { name: /Layer 1, head 2: attention weights/ });
      await expect.poll(() => second.count(), { timeout: 10_000 }).toBe(1);
      expect(await second.getAttribute('aria-pressed')).toBe('false');
      await second.focus();
      await page.keyboard.press('Enter');
      expect(await second.getAttribute('aria-pressed')).toBe('true');
      // The focused head's weights as a table, and its colour scale named.
      expect(
        await page.getByTestId('attention-focus').getByTestId('chart-table').locator('tbody tr').count(),
      ).toBeGreaterThan(2);
      expect(await page.getByTestId('weight-scale').first().getAttribute('aria-label')).toMatch(/Colour scale/);
      await page.close();
    });
    it("opens a run under its marked row, titled, in sections no page of which is taller than 3,000 px, in people's words", async () => {
      const page = await host.browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.goto(host.url);
      await showTab(page, 'runs');
      const row = page.getByTestId('run-row').first();
      await row.getByTestId('run-open').click();
      await expect.poll(() => page.getByTestId('run-detail').count()).toBe(1);
      expect(await row.getAttribute('class')).toContain('opened');
      expect(await page.getByTestId('run-detail-title').textContent()).toBe('Run: Transformer encoder classifier');
      const height = () =>
        page.evaluate(
          () =>
            (globalThis as unknown as { document: { documentElement: { scrollHeight: number } } }).document
              .documentElement.scrollHeight,
        );
      for (const section of ['overview', 'evaluation', 'attention', 'setup']) {
        await page.getByTestId(`run-section-${section}`).click();
        await page.waitForTimeout(300);
        expect(await height(), section).toBeLessThan(3000);
      }
      // The set-up by its names and units, values as a person writes them.
      const setup = await page.getByTestId('run-hyper-params').innerText();
      expect(setup).toMatch(/Learning rate\s+0\.001/);
      expect(setup).toMatch(/Batch size\s+32/);
      expect(setup).toMatch(/Examples per epoch \(0 = all\)\s+300/);
      expect(setup).toMatch(/Optimizer\s+Adam/);
      expect(setup).not.toMatch(/stepEpochs|useFileSplit|maxTrainExamples|\btrue\b/);
      await page.close();
    });
  },
);
