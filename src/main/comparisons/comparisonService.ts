import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ComparisonRecord, ComparisonReport } from '../../shared/comparison';
import { isLive, type TrainEvent } from '../../shared/events';
import type { TrainStartRequest } from '../../shared/ipc';
import { resolveTrainingTarget } from '../../shared/runPlan';
import { fullyConnectedBaseline } from '../../shared/spec/fullyConnectedBaseline';
import { withImageShape } from '../../shared/spec/withImageShape';
import type { DatasetLibrary } from '../../engine/data/library/datasetLibrary';
import type { RunStore } from '../runs/runStore';
import type { TrainingService } from '../services/trainingService';
import { comparisonHtml } from './comparisonReport';
import { comparisonRow } from './comparisonRow';

const ID = /^cmp-[0-9a-f]{12}$/;

/**
 * Attention vs fully connected: one request starts the attention model and its matched-weights fully connected
 * baseline as two queued runs with the same dataset, split, seed, recipe and tokenizer; when both have ended the
 * report is written as comparisons/<id>.html, one self-contained file.
 */
export class ComparisonService {
  /** Each ended comparison's report, read or written once per process. */
  private readonly writes = new Map<string, Promise<string>>();

  constructor(
    private readonly root: string,
    private readonly training: TrainingService,
    private readonly runs: RunStore,
    private readonly datasets: DatasetLibrary,
  ) {}

  async start(request: TrainStartRequest): Promise<ComparisonRecord> {
    if (request.initFromRun) throw new Error('a comparison trains both models from scratch: leave "start from" empty');
    const dataset = await this.datasets.summary(request.datasetId);
    const target = resolveTrainingTarget(request, dataset);
    // Matched at the size the models train at: a flattened image's weights grow with its pixels.
    const sized = dataset?.imageShape ? withImageShape(target.spec, dataset.imageShape) : target.spec;
    const baseline = fullyConnectedBaseline(sized, { classes: Math.max(2, target.dataset.classNames.length) });
    const shared = { datasetId: request.datasetId, hyperParams: { ...request.hyperParams, freeze: [] } };
    const tokenizer = request.tokenizer ? { tokenizer: request.tokenizer } : {};
    const attention = await this.training.start({ ...request, ...tokenizer });
    const fullyConnected = await this.training.start({ ...shared, ...tokenizer, spec: baseline.spec });
    const record: ComparisonRecord = {
      id: `cmp-${randomBytes(6).toString('hex')}`,
      createdAt: new Date().toISOString(),
      datasetId: request.datasetId,
      attentionRunId: attention.runId,
      baselineRunId: fullyConnected.runId,
      baselineHidden: baseline.hidden,
    };
    await mkdir(this.root, { recursive: true });
    await this.writeAtomically(join(this.root, `${record.id}.json`), `${JSON.stringify(record, null, 2)}\n`);
    return record;
  }

  /** Every comparison, newest first; an unreadable record is left out. */
  async list(): Promise<ComparisonRecord[]> {
    const names = await readdir(this.root).catch(() => [] as string[]);
    const records = await Promise.all(
      names
        .filter((name) => name.endsWith('.json') && ID.test(name.slice(0, -5)))
        .map((name) => this.record(name.slice(0, -5)).catch(() => null)),
    );
    return records
      .filter((record): record is ComparisonRecord => record !== null)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** The report as it stands; once both runs have ended it is also written as comparisons/<id>.html. */
  async report(id: string): Promise<ComparisonReport> {
    const record = await this.record(id);
    const [attention, baseline] = await Promise.all([
      this.runs.get(record.attentionRunId),
      this.runs.get(record.baselineRunId),
    ]);
    const compared = [
      { row: comparisonRow('attention', attention.run, attention.events), events: attention.events },
      { row: comparisonRow('fully connected', baseline.run, baseline.events), events: baseline.events },
    ];
    const rows = compared.map(({ row }) => row);
    if (rows.some((row) => isLive(row.status))) {
      return { record, status: 'training', rows, html: comparisonHtml(record, compared), path: null };
    }
    // Written once, when the second run has ended (the event and a request may ask at the same moment); later
    // requests read the same file.
    const path = join(this.root, `${record.id}.html`);
    let html = this.writes.get(record.id);
    if (!html) {
      html = readFile(path, 'utf8').catch(async () => {
        const text = comparisonHtml(record, compared);
        await this.writeAtomically(path, text);
        return text;
      });
      this.writes.set(record.id, html);
      html.catch(() => this.writes.delete(record.id));
    }
    return { record, status: 'done', rows, html: await html, path };
  }

  /** Writes a comparison's report as soon as the second of its runs ends, so it exists without being asked for. */
  async onEvent(event: TrainEvent): Promise<void> {
    if (event.type !== 'finished') return;
    for (const record of await this.list()) {
      if (record.attentionRunId !== event.runId && record.baselineRunId !== event.runId) continue;
      await this.report(record.id).catch((error: unknown) => {
        console.error(`[comparisons] could not write the report of ${record.id}:`, error);
      });
    }
  }

  private async record(id: string): Promise<ComparisonRecord> {
    if (!ID.test(id)) throw new Error(`"${id}" is not a comparison id`);
    const text = await readFile(join(this.root, `${id}.json`), 'utf8').catch(() => null);
    if (text === null) throw new Error(`there is no comparison ${id}`);
    return JSON.parse(text) as ComparisonRecord;
  }

  private async writeAtomically(path: string, text: string): Promise<void> {
    await writeFile(`${path}.tmp`, text);
    await rename(`${path}.tmp`, path);
  }
}
