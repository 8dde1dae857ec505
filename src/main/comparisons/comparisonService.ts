import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ComparisonRecord, ComparisonReport } from '../../shared/comparison';
import { isLive, type TrainEvent } from '../../shared/events';
import type { TrainStartRequest } from '../../shared/ipc';
import { fullyConnectedBaseline } from '../../shared/architecture/fullyConnectedBaseline';
import type { RunStore } from '../runs/runStore';
import type { TrainingService } from '../services/trainingService';
import { comparisonHtml } from './comparisonReport';
import { comparisonRow } from './comparisonRow';
import { writeAtomically } from '../../engine/io/atomicWrite';
import { readRecord, type RecordRead } from '../runs/readRecord';
import { sizeOf, type RunFileSystem } from '../runs/runFileSystem';
import { RECORD_LIMITS } from '../../shared/runLayout';
import type { DamagedRecord } from '../../shared/runs';
import { COMPARISON_ID_PATTERN, parseComparisonRecord } from '../../shared/storedRecords/comparisonRecord';

/** The largest report file reused as it is; a bigger one is written anew. */
const MAX_REPORT_BYTES = 16 * 1024 * 1024;

/**
 * Attention vs fully connected: one request starts the attention model and its matched-weights fully connected
 * baseline as two queued runs with the same dataset, split, seed, recipe and tokenizer; when both have ended the
 * report is written as comparisons/<id>.html, one self-contained file.
 */
export class ComparisonService {
  /** Each ended comparison's report, read or written once per process. */
  private readonly writes = new Map<string, Promise<string>>();
  private readonly files: RunFileSystem;

  constructor(
    private readonly root: string,
    private readonly training: TrainingService,
    private readonly runs: RunStore,
  ) {
    this.files = runs.files;
  }

  async start(request: TrainStartRequest): Promise<ComparisonRecord> {
    if (request.initFromRun) throw new Error('a comparison trains both models from scratch: leave "start from" empty');
    // The attention model's request is resolved once: its plan's spec, already sized to the dataset's images (a
    // flattened image's weights grow with its pixels), is what the baseline's width is matched on.
    const planned = await this.training.plan(request);
    const baseline = fullyConnectedBaseline(planned.plan.spec, {
      classes: Math.max(2, planned.dataset.classNames.length),
    });
    const tokenizer = request.tokenizer ? { tokenizer: request.tokenizer } : {};
    const shared = { datasetId: request.datasetId, hyperParams: { ...request.hyperParams, freeze: [] } };
    const baselinePlanned = await this.training.plan({ ...shared, ...tokenizer, spec: baseline.spec });
    const attention = await this.training.queue(planned);
    const fullyConnected = await this.training.queue(baselinePlanned);
    const record: ComparisonRecord = {
      id: `cmp-${randomBytes(6).toString('hex')}`,
      createdAt: new Date().toISOString(),
      datasetId: request.datasetId,
      attentionRunId: attention.runId,
      baselineRunId: fullyConnected.runId,
      baselineHidden: baseline.hidden,
    };
    await this.files.mkdir(this.root, { recursive: true });
    await writeAtomically(this.files, join(this.root, `${record.id}.json`), `${JSON.stringify(record, null, 2)}\n`);
    return record;
  }

  /** Every comparison, newest first, and every record that could not be read, with the reason. */
  async scan(): Promise<{ records: ComparisonRecord[]; damaged: DamagedRecord[] }> {
    const names = await this.files.readdir(this.root).catch(() => [] as string[]);
    const records: ComparisonRecord[] = [];
    const damaged: DamagedRecord[] = [];
    for (const name of names) {
      const id = name.slice(0, -'.json'.length);
      if (!name.endsWith('.json') || !COMPARISON_ID_PATTERN.test(id)) continue;
      const read = await this.read(id);
      if (read.state === 'ok') records.push(read.value);
      else if (read.state === 'damaged') damaged.push({ id, file: `comparisons/${name}`, reason: read.reason });
    }
    records.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
    return { records, damaged };
  }

  async list(): Promise<ComparisonRecord[]> {
    return (await this.scan()).records;
  }

  async damaged(): Promise<DamagedRecord[]> {
    return (await this.scan()).damaged;
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
      html = (async () => {
        // An earlier report is reused as long as it is one the app could have written (capped in size).
        const size = await sizeOf(this.files, path).catch(() => null);
        if (size !== null && size <= MAX_REPORT_BYTES) return this.files.readFile(path, 'utf8');
        const text = comparisonHtml(record, compared);
        await writeAtomically(this.files, path, text);
        return text;
      })();
      this.writes.set(record.id, html);
      html.catch(() => this.writes.delete(record.id));
    }
    return { record, status: 'done', rows, html: await html, path };
  }

  /** Writes a comparison's report as soon as the second of its runs ends, so it exists without being asked for. */
  /** Never rejects: it runs unawaited after each event, and nothing a record holds may take the host down. */
  async onEvent(event: TrainEvent): Promise<void> {
    if (event.type !== 'finished') return;
    try {
      for (const record of await this.list()) {
        if (record.attentionRunId !== event.runId && record.baselineRunId !== event.runId) continue;
        await this.report(record.id).catch((error: unknown) => {
          console.error(`[comparisons] could not write the report of ${record.id}:`, error);
        });
      }
    } catch (error) {
      console.error('[comparisons] could not look for the comparisons of a finished run:', error);
    }
  }

  private read(id: string): Promise<RecordRead<ComparisonRecord>> {
    return readRecord(this.files, join(this.root, `${id}.json`), RECORD_LIMITS.comparison, (value) =>
      parseComparisonRecord(value, id),
    );
  }

  private async record(id: string): Promise<ComparisonRecord> {
    if (!COMPARISON_ID_PATTERN.test(id)) throw new Error(`"${id}" is not a comparison id`);
    const read = await this.read(id);
    if (read.state === 'ok') return read.value;
    if (read.state === 'missing') throw new Error(`there is no comparison ${id}`);
    throw new Error(`comparisons/${id}.json is damaged (${read.reason})`);
  }
}
