import { readFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createWorkbench, type Workbench } from '../../src/main/createWorkbench';
import type { StartedEvent, TrainEvent } from '../../src/shared/events';
import { hyperParamsSchema } from '../../src/shared/hyperParams';
import { launchSourceWorker } from '../support/sourceWorker';

let workbench: Workbench | null = null;
afterAll(() => workbench?.close());

const ATTENTION_OPS = /attention|transformer|cbam|excitation|lstm|gru|conv/i;

describe('attention vs fully connected', () => {
  it('trains both models on the same split and seed, and writes a self-contained report once both have ended', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'comparison-'));
    workbench = await createWorkbench({
      dataDir,
      version: 'test',
      transport: 'browser-host',
      launchWorker: launchSourceWorker,
      ...(process.env['WORKBENCH_BACKEND'] ? { backend: process.env['WORKBENCH_BACKEND'] } : {}),
    });
    const events: TrainEvent[] = [];
    const finished = new Set<string>();
    let bothEnded: () => void = () => undefined;
    const ended = new Promise<void>((resolve) => (bothEnded = resolve));
    workbench.subscribe((channel, payload) => {
      if (channel !== 'train:event') return;
      const event = payload as TrainEvent;
      events.push(event);
      if (event.type === 'finished') finished.add(event.runId);
      if (finished.size === 2) bothEnded();
    });
    const { handlers } = workbench;
    const hyperParams = hyperParamsSchema.parse({ epochs: 2, batchSize: 16, maxTrainExamples: 160, seed: 7 });
    await expect(
      handlers['comparisons:start']({ datasetId: 'date-formats', presetId: 'transformer-seq2seq', hyperParams }),
    ).rejects.toThrow('seq2seq has no baseline here');
    expect(await handlers['runs:list']({})).toEqual([]);

    const record = await handlers['comparisons:start']({
      datasetId: 'keyword-topics',
      presetId: 'transformer-text',
      hyperParams,
    });
    expect(await handlers['comparisons:list']({})).toEqual([record]);
    expect((await handlers['comparisons:report']({ comparisonId: record.id })).status).toBe('training');
    await ended;
    // The report is written by the event that ends the second run; asking for it writes it again, the same.
    const report = await handlers['comparisons:report']({ comparisonId: record.id });
    expect(report.status).toBe('done');
    expect(report.path).toBe(join(dataDir, 'comparisons', `${record.id}.html`));

    const attention = await handlers['runs:get']({ runId: record.attentionRunId });
    const baseline = await handlers['runs:get']({ runId: record.baselineRunId });
    for (const { run } of [attention, baseline]) expect(run.status).toBe('completed');
    expect(baseline.run.hyperParams).toEqual(attention.run.hyperParams);
    expect(baseline.run.datasetId).toBe('keyword-topics');
    expect(baseline.run.spec.nodes.some((node) => ATTENTION_OPS.test(node.op))).toBe(false);
    expect(attention.run.spec.nodes.some((node) => node.op === 'transformerEncoder')).toBe(true);
    // The same examples in each split: the same seed and split settings.
    const split = (runId: string) =>
      events.find((e): e is StartedEvent => e.type === 'started' && e.runId === runId)!.split;
    expect(split(record.baselineRunId)).toEqual(split(record.attentionRunId));

    const [attentionRow, baselineRow] = report.rows;
    expect(attentionRow).toMatchObject({ role: 'attention', runId: record.attentionRunId, epochs: 2 });
    expect(baselineRow).toMatchObject({ role: 'fully connected', runId: record.baselineRunId, epochs: 2 });
    // Matched weights: within one hidden unit's worth (the flattened text times the unit's fan-in) of each other.
    const unit = Math.abs(baselineRow!.specWeights - attentionRow!.specWeights);
    expect(unit / attentionRow!.specWeights).toBeLessThan(0.02);
    for (const row of report.rows) {
      expect(row.testAccuracy).toBeGreaterThanOrEqual(0);
      expect(row.weights).toBe((row.role === 'attention' ? attention : baseline).run.parameterCount);
      expect(row.secondsPerEpoch).toBeGreaterThan(0);
      expect(row.flopsPerExample).toBeGreaterThan(0);
    }

    const html = await readFile(report.path!, 'utf8');
    expect(html).toBe(report.html);
    expect(html).toContain(record.attentionRunId);
    expect(html).toContain(record.baselineRunId);
    expect(html).toContain(`${(attentionRow!.testAccuracy! * 100).toFixed(1)}%`);
    expect(html.match(/<svg /g)).toHaveLength(2);
    // Each chart draws both models' curves (one path per series, plus the axes).
    for (const colour of ['#0284c7', '#ea580c']) expect(html).toContain(colour);
    // Self-contained: nothing to fetch, nothing to run.
    expect(html).not.toMatch(/<script|<link|src="http|href="http/);

    await expect(handlers['comparisons:report']({ comparisonId: 'cmp-000000000000' })).rejects.toThrow(
      'there is no comparison cmp-000000000000',
    );
  }, 240_000);
});
