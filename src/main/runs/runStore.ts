import { appendFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AttentionEvent, TrainEvent } from '../../shared/events';
import type { RunRecord } from '../../shared/runs';
import { toPlainJson } from '../../shared/wireFormat';
import { frameRecord, parseMetricsLog, repairMetricsLog } from './metricsLog';
import { TensorboardWriter } from './tensorboardEvents';

export const METRICS_LOG = 'metrics.log';

/**
 * One folder per run: run.json (what the run is, rewritten atomically), metrics.log (every event but attention,
 * append-only, each record framed with its checksum: metricsLog.ts), tensorboard/ (the scalars as TensorBoard event
 * files), attention/epoch-N.json (the snapshot at the end of each epoch). Writes of one run are chained, so
 * lines keep their order and a crash leaves every earlier line readable.
 */
export class RunStore {
  private readonly chains = new Map<string, Promise<void>>();
  private readonly latestAttention = new Map<string, AttentionEvent>();
  /** Runs whose log this process has checked for a torn tail before its first append. */
  private readonly repaired = new Set<string>();
  private readonly tensorboard = new Map<string, TensorboardWriter>();

  constructor(readonly root: string) {}

  private folder(id: string): string {
    return join(this.root, id);
  }

  private enqueue(id: string, write: () => Promise<void>): Promise<void> {
    const next = (this.chains.get(id) ?? Promise.resolve()).then(write);
    this.chains.set(
      id,
      next.catch(() => undefined),
    );
    return next;
  }

  private async writeAtomically(path: string, text: string): Promise<void> {
    const temporary = `${path}.tmp`;
    await writeFile(temporary, text);
    await rename(temporary, path);
  }

  create(record: RunRecord): Promise<void> {
    return this.enqueue(record.id, async () => {
      await mkdir(join(this.folder(record.id), 'attention'), { recursive: true });
      await this.writeAtomically(join(this.folder(record.id), 'run.json'), toPlainJson(record));
    });
  }

  update(id: string, patch: Partial<RunRecord>): Promise<void> {
    return this.enqueue(id, async () => {
      const path = join(this.folder(id), 'run.json');
      const record = JSON.parse(await readFile(path, 'utf8')) as RunRecord;
      await this.writeAtomically(path, toPlainJson({ ...record, ...patch, updatedAt: new Date().toISOString() }));
    });
  }

  append(id: string, event: TrainEvent): Promise<void> {
    // Attention goes through the queue too, though only the last one before an epoch ends is written: callers
    // rely on writes of one run settling in the order they were asked for.
    if (event.type === 'attention') return this.enqueue(id, async () => void this.latestAttention.set(id, event));
    return this.enqueue(id, async () => {
      const log = join(this.folder(id), METRICS_LOG);
      if (!this.repaired.has(id)) {
        await repairMetricsLog(log);
        this.repaired.add(id);
      }
      await appendFile(log, frameRecord(toPlainJson(event)));
      await this.tensorboardOf(id).write(event);
      const attention = this.latestAttention.get(id);
      if (attention && (event.type === 'epoch' || event.type === 'finished')) {
        this.latestAttention.delete(id);
        await this.writeAtomically(
          join(this.folder(id), 'attention', `epoch-${attention.epoch}.json`),
          toPlainJson(attention),
        );
      }
    });
  }

  private tensorboardOf(id: string): TensorboardWriter {
    let writer = this.tensorboard.get(id);
    if (!writer) this.tensorboard.set(id, (writer = new TensorboardWriter(join(this.folder(id), 'tensorboard'))));
    return writer;
  }

  /** Deletes a run's folder; false if there was none. Its id is checked by the IPC schema (no path in it). */
  async remove(id: string): Promise<boolean> {
    await this.flush(id);
    const folder = this.folder(id);
    if (
      !(await stat(folder).then(
        (info) => info.isDirectory(),
        () => false,
      ))
    )
      return false;
    await rm(folder, { recursive: true, force: true });
    this.tensorboard.delete(id);
    return true;
  }

  /** Waits until everything queued for the run is on disk. */
  async flush(id: string): Promise<void> {
    await this.chains.get(id);
  }

  /** The run's record alone (run.json), without its log. */
  async record(id: string): Promise<RunRecord> {
    await this.flush(id);
    const text = await readFile(join(this.folder(id), 'run.json'), 'utf8').catch(() => null);
    if (text === null) throw new Error(`there is no run ${id}`);
    return JSON.parse(text) as RunRecord;
  }

  async get(id: string): Promise<{ run: RunRecord; events: TrainEvent[] }> {
    const run = await this.record(id);
    const folder = this.folder(id);
    // Runs logged before records were framed kept plain JSON lines in metrics.ndjson; both read the same way.
    const text = await readFile(join(folder, METRICS_LOG), 'utf8').catch(() =>
      readFile(join(folder, 'metrics.ndjson'), 'utf8').catch(() => ''),
    );
    // A torn or corrupted record is skipped by its checksum; every complete one still counts.
    const events = parseMetricsLog(text).records as TrainEvent[];
    return { run, events };
  }

  async list(): Promise<RunRecord[]> {
    let names: string[];
    try {
      names = await readdir(this.root);
    } catch {
      return [];
    }
    const runs = await Promise.all(
      names.map(async (name) => {
        try {
          return JSON.parse(await readFile(join(this.folder(name), 'run.json'), 'utf8')) as RunRecord;
        } catch {
          return null;
        }
      }),
    );
    return runs.filter((run): run is RunRecord => run !== null).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }
}
