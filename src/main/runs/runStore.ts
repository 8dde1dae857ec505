import { join } from 'node:path';
import type { AttentionEvent, TrainEvent } from '../../shared/events';
import type { RunEvaluation } from '../../shared/evaluation/runEvaluation';
import {
  attentionFileEpoch,
  attentionFileName,
  CHECKPOINT_SLOTS,
  isRunId,
  RECORD_LIMITS,
  RUN_FILES,
} from '../../shared/runLayout';
import type { CheckpointInfo, DamagedRecord, RunRecord } from '../../shared/runs';
import { attentionEventSchema } from '../../shared/storedRecords/attentionSnapshot';
import { evaluationSchema } from '../../shared/storedRecords/evaluation';
import { parseRunRecord } from '../../shared/storedRecords/runRecord';
import { trainEventSchema } from '../../shared/storedRecords/trainEvent';
import { toPlainJson } from '../../shared/wireFormat';
import { isLive } from '../../shared/events';
import { writeAtomically } from '../../engine/io/atomicWrite';
import { isAbandonedTemporary } from '../../engine/io/atomicWrite';
import { CheckpointFiles } from './checkpointFiles';
import { MetricsFold } from './metricsFold';
import { frameRecord, repairMetricsLog, streamMetricsLog } from './metricsLog';
import { readRecord, type RecordRead } from './readRecord';
import { RunArtifactFiles } from './runArtifactFiles';
import { nodeFileSystem, type RunFileSystem } from './runFileSystem';
import { RunLockedError, RunLocks, type LockHolder, type LockPurpose, type ProcessIdentity } from './runLock';
import { TensorboardWriter } from './tensorboardEvents';

export interface RunStoreOptions {
  /** The file functions to use: node:fs/promises unless a test injects faults. */
  files?: RunFileSystem;
  /** Who this process is, for the lock it takes on the runs it writes. Defaults to 'app'. */
  holder?: LockHolder;
  /** The process its locks name: this one, unless a test plays another. */
  identity?: ProcessIdentity;
}

/**
 * The runs service: owns every read and write of a run's folder (layout: shared/runLayout.ts). Every record read
 * back is size-checked and parsed with its schema; one that fails is reported as damaged and never stops the
 * caller. Every write happens under the run's lock (runLock.ts: one writer per run across processes), is chained
 * per run so that records keep their order, and replaces files atomically, so a crash leaves every earlier record
 * readable.
 */
export class RunStore {
  readonly files: RunFileSystem;
  readonly locks: RunLocks;
  /** Checkpoints and the test report, as the training worker writes and reads them. */
  readonly artifacts: RunArtifactFiles;
  private readonly chains = new Map<string, Promise<void>>();
  private readonly latestAttention = new Map<string, AttentionEvent>();
  /** Runs whose log this process has checked for a torn tail before its first append. */
  private readonly repaired = new Set<string>();
  private readonly tensorboard = new Map<string, TensorboardWriter>();

  constructor(
    readonly root: string,
    options: RunStoreOptions = {},
  ) {
    this.files = options.files ?? nodeFileSystem;
    this.locks = new RunLocks(this.files, options.holder ?? 'app', options.identity);
    this.artifacts = new RunArtifactFiles(this.files, root);
  }

  /** A run's folder; the id must be a run id (no separator, no dot-dot) whatever the caller checked before. */
  folder(id: string): string {
    if (!isRunId(id)) throw new Error(`"${id}" is not a run id`);
    return join(this.root, id);
  }

  private file(id: string, name: string): string {
    return join(this.folder(id), name);
  }

  private lockPath(id: string): string {
    return this.file(id, RUN_FILES.lock);
  }

  // ---- the lock ----

  /**
   * Takes the run's lock (or throws RunLockedError naming who holds it, this store included); kept until release.
   */
  async claim(id: string, purpose: LockPurpose): Promise<void> {
    await this.locks.acquire(this.lockPath(id), id, purpose);
  }

  /** Gives the run's lock back, after everything queued for it is written. */
  async release(id: string): Promise<void> {
    await this.flush(id);
    await this.locks.release(this.lockPath(id));
  }

  holds(id: string): boolean {
    return this.locks.holds(this.lockPath(id));
  }

  /** Runs `write` holding the run's lock: the one held, or one taken for the write alone. */
  private async underLock(id: string, purpose: LockPurpose, write: () => Promise<void>): Promise<void> {
    if (this.holds(id)) return write();
    await this.locks.acquire(this.lockPath(id), id, purpose);
    try {
      await write();
    } finally {
      await this.locks.release(this.lockPath(id));
    }
  }

  private enqueue(id: string, write: () => Promise<void>): Promise<void> {
    const next = (this.chains.get(id) ?? Promise.resolve()).then(write);
    this.chains.set(
      id,
      next.catch(() => undefined),
    );
    return next;
  }

  /** Waits until everything queued for the run is on disk (or has failed). */
  async flush(id: string): Promise<void> {
    await this.chains.get(id);
  }

  // ---- writes ----

  /** Creates a new run's folder and run.json, and takes its lock for training until release(). */
  async create(record: RunRecord): Promise<void> {
    await this.files.mkdir(this.folder(record.id), { recursive: true });
    await this.claim(record.id, 'train');
    try {
      await this.enqueue(record.id, async () => {
        await this.files.mkdir(this.file(record.id, RUN_FILES.attention), { recursive: true });
        await writeAtomically(this.files, this.file(record.id, RUN_FILES.record), toPlainJson(record));
      });
    } catch (error) {
      // A run that could not be written (a full disk) leaves no folder behind to be listed as damaged.
      await this.files.rm(this.folder(record.id), { recursive: true, force: true }).catch(() => undefined);
      this.locks.forget(this.lockPath(record.id));
      throw error;
    }
  }

  /** Changes fields of run.json (read, patched, replaced atomically); never its id. */
  update(id: string, patch: Partial<RunRecord>): Promise<void> {
    return this.enqueue(id, () =>
      this.underLock(id, 'edit', async () => {
        const record = await this.readRecordOrThrow(id);
        const { id: _ignored, ...fields } = patch;
        const updated = { ...record, ...fields, id, updatedAt: new Date().toISOString() };
        await writeAtomically(this.files, this.file(id, RUN_FILES.record), toPlainJson(updated));
      }),
    );
  }

  append(id: string, event: TrainEvent): Promise<void> {
    // Attention goes through the queue too, though only the last one before an epoch ends is written: callers
    // rely on writes of one run settling in the order they were asked for.
    if (event.type === 'attention') return this.enqueue(id, async () => void this.latestAttention.set(id, event));
    return this.enqueue(id, () =>
      this.underLock(id, 'edit', async () => {
        const log = this.file(id, RUN_FILES.metrics);
        if (!this.repaired.has(id)) {
          await repairMetricsLog(this.files, log);
          this.repaired.add(id);
        }
        await this.files.appendFile(log, frameRecord(toPlainJson(event)));
        await this.tensorboardOf(id).write(event);
        const attention = this.latestAttention.get(id);
        if (attention && (event.type === 'epoch' || event.type === 'finished')) {
          this.latestAttention.delete(id);
          await this.writeAttentionFile(id, attention);
        }
      }),
    );
  }

  /** Keeps an attention snapshot as the run's for its epoch (a run imported from elsewhere gets one this way). */
  writeAttention(id: string, attention: AttentionEvent): Promise<void> {
    return this.enqueue(id, () => this.underLock(id, 'edit', () => this.writeAttentionFile(id, attention)));
  }

  private async writeAttentionFile(id: string, attention: AttentionEvent): Promise<void> {
    await this.files.mkdir(this.file(id, RUN_FILES.attention), { recursive: true });
    await writeAtomically(
      this.files,
      join(this.file(id, RUN_FILES.attention), attentionFileName(attention.epoch)),
      toPlainJson({ ...attention, runId: id }),
    );
  }

  private tensorboardOf(id: string): TensorboardWriter {
    let writer = this.tensorboard.get(id);
    if (!writer) {
      writer = new TensorboardWriter(this.file(id, RUN_FILES.tensorboard), this.files);
      this.tensorboard.set(id, writer);
    }
    return writer;
  }

  /**
   * Deletes a run's folder; false if there was none. Refused (RunLockedError) while another writer holds the run:
   * the app training it, or a CLI.
   */
  async remove(id: string): Promise<boolean> {
    await this.flush(id);
    if (!(await this.exists(id))) return false;
    await this.claim(id, 'delete');
    await this.files.rm(this.folder(id), { recursive: true, force: true });
    this.locks.forget(this.lockPath(id));
    this.tensorboard.delete(id);
    this.repaired.delete(id);
    this.latestAttention.delete(id);
    return true;
  }

  /**
   * At start-up: a run left queued, running or paused whose lock no live process holds was interrupted (the app or
   * CLI that trained it closed or died): it is marked so, and what its crashed writes left is removed. A run whose
   * owner still runs (a CLI training it now) is left as it is.
   */
  async recoverInterrupted(): Promise<void> {
    for (const run of await this.list()) {
      if (!isLive(run.status)) continue;
      try {
        await this.claim(run.id, 'sweep');
      } catch (error) {
        if (error instanceof RunLockedError) continue;
        throw error;
      }
      try {
        await this.markInterrupted(run);
      } finally {
        await this.release(run.id);
      }
    }
  }

  /**
   * Marks a live run whose lock this process has just taken (so nobody trains it) as interrupted, and removes its
   * crashed writes' temporaries. Returns the record as it now stands.
   */
  async markInterrupted(run: RunRecord): Promise<RunRecord> {
    await this.removeTemporaries(run.id);
    if (!isLive(run.status)) return run;
    const when = run.status === 'queued' ? 'before it started' : 'while it trained';
    const reason = `${run.origin === 'cli' ? 'npm run train' : 'the app'} closed ${when}`;
    await this.update(run.id, { status: 'interrupted', reason });
    return { ...run, status: 'interrupted', reason };
  }

  private async removeTemporaries(id: string): Promise<void> {
    for (const name of await this.files.readdir(this.folder(id)).catch(() => [] as string[])) {
      if (isAbandonedTemporary(name)) await this.files.rm(this.file(id, name), { force: true });
    }
    await new CheckpointFiles(this.files, this.file(id, RUN_FILES.checkpoints)).sweep();
  }

  // ---- reads ----

  private async exists(id: string): Promise<boolean> {
    return this.files.stat(this.folder(id)).then(
      (info) => info.isDirectory(),
      () => false,
    );
  }

  private readRunJson(id: string): Promise<RecordRead<RunRecord>> {
    return readRecord(this.files, this.file(id, RUN_FILES.record), RECORD_LIMITS.record, (value) =>
      parseRunRecord(value, id),
    );
  }

  private async readRecordOrThrow(id: string): Promise<RunRecord> {
    const read = await this.readRunJson(id);
    if (read.state === 'ok') return read.value;
    if (read.state === 'missing') throw new Error(`there is no run ${id}`);
    throw new Error(`run ${id}'s ${RUN_FILES.record} is damaged (${read.reason})`);
  }

  /** The run's record alone (run.json), without its log. */
  async record(id: string): Promise<RunRecord> {
    await this.flush(id);
    return this.readRecordOrThrow(id);
  }

  /** Every run whose record reads, newest first, and every folder whose record does not, with the reason. */
  async scan(): Promise<{ runs: RunRecord[]; damaged: DamagedRecord[] }> {
    const names = await this.files.readdir(this.root).catch(() => [] as string[]);
    const runs: RunRecord[] = [];
    const damaged: DamagedRecord[] = [];
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const file = `runs/${name}/${RUN_FILES.record}`;
      if (!isRunId(name)) {
        damaged.push({ id: name, file: `runs/${name}`, reason: 'the folder name is not a run id' });
        continue;
      }
      const read = await this.readRunJson(name);
      if (read.state === 'ok') runs.push(read.value);
      else if (read.state === 'damaged') damaged.push({ id: name, file, reason: read.reason });
      else if (await this.exists(name)) damaged.push({ id: name, file, reason: 'missing' });
    }
    runs.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
    return { runs, damaged };
  }

  async list(): Promise<RunRecord[]> {
    return (await this.scan()).runs;
  }

  /**
   * The run's record and its events, streamed from the log and folded (metricsFold.ts) so that memory stays bounded
   * whatever the log's size. A record that fails its checksum or its schema is skipped; every other one counts.
   */
  async get(id: string): Promise<{ run: RunRecord; events: TrainEvent[] }> {
    const run = await this.record(id);
    const fold = new MetricsFold();
    const add = (record: object) => {
      const event = trainEventSchema.safeParse(record);
      if (event.success) fold.add({ ...event.data, runId: id });
    };
    const log = this.file(id, RUN_FILES.metrics);
    // Runs logged before records were framed kept plain JSON lines in metrics.ndjson; both read the same way.
    const legacy = this.file(id, RUN_FILES.legacyMetrics);
    const source = (await this.files.stat(log).then(
      () => true,
      () => false,
    ))
      ? log
      : legacy;
    await streamMetricsLog(this.files, source, RECORD_LIMITS.metricsLine, add);
    return { run, events: fold.result() };
  }

  /** The checkpoints a run has (final, best, latest), with where each stands; a damaged one is left out. */
  async checkpoints(id: string): Promise<CheckpointInfo[]> {
    const files = new CheckpointFiles(this.files, this.file(id, RUN_FILES.checkpoints));
    const found: CheckpointInfo[] = [];
    for (const slot of CHECKPOINT_SLOTS) {
      const read = await files.inspect(slot);
      if (read.state !== 'ok') continue;
      const { epoch, globalStep, valLoss } = read.index;
      found.push({ slot, epoch, globalStep, valLoss: Number.isFinite(valLoss) ? valLoss : null });
    }
    return found;
  }

  /** The epochs whose attention snapshot the run kept, in order. */
  async attentionEpochs(id: string): Promise<number[]> {
    const names = await this.files.readdir(this.file(id, RUN_FILES.attention)).catch(() => [] as string[]);
    return names
      .flatMap((name) => {
        const epoch = attentionFileEpoch(name);
        return epoch === null ? [] : [epoch];
      })
      .sort((a, b) => a - b);
  }

  /** One saved attention snapshot, its weights back as Float32Arrays. */
  async attention(id: string, epoch: number): Promise<AttentionEvent> {
    const name = `${RUN_FILES.attention}/${attentionFileName(epoch)}`;
    const read = await readRecord(this.files, this.file(id, name), RECORD_LIMITS.attention, (value) =>
      attentionEventSchema.safeParse(value),
    );
    if (read.state === 'ok') return { ...read.value, runId: id };
    if (read.state === 'missing') throw new Error(`run ${id} has no attention snapshot of epoch ${epoch}`);
    throw new Error(`run ${id}'s ${name} is damaged (${read.reason})`);
  }

  /** The run's test report; null when there is none (no test split, or it failed). */
  async evaluation(id: string): Promise<RunEvaluation | null> {
    const read = await readRecord(this.files, this.file(id, RUN_FILES.evaluation), RECORD_LIMITS.evaluation, (v) =>
      evaluationSchema.safeParse(v),
    );
    if (read.state === 'ok') return read.value;
    if (read.state === 'missing') return null;
    throw new Error(`run ${id}'s ${RUN_FILES.evaluation} is damaged (${read.reason})`);
  }
}
