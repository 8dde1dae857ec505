import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { RECORD_LIMITS } from '../../shared/runLayout';
import { temporaryName } from '../../engine/io/atomicWrite';
import { processAlive } from '../../engine/io/liveProcess';
import { thisHost, thisProcessStart } from './processIdentity';
import { readRecord } from './readRecord';
import { errorCode, type RunFileSystem } from './runFileSystem';

/** Who takes a run's lock, and what for: shown to whoever is refused. */
export type LockHolder = 'app' | 'cli';
export type LockPurpose = 'train' | 'resume' | 'delete' | 'sweep' | 'edit';

const lockOwnerSchema = z.object({
  pid: z.number().int().min(1),
  processStart: z.string().max(40).nullable(),
  host: z.string().max(300),
  holder: z.enum(['app', 'cli']),
  purpose: z.enum(['train', 'resume', 'delete', 'sweep', 'edit']),
  since: z.string().max(40),
  token: z.string().max(40),
});
export type LockOwner = z.infer<typeof lockOwnerSchema>;

const PURPOSE_WORDS: Record<LockPurpose, string> = {
  train: 'trained',
  resume: 'resumed',
  delete: 'deleted',
  sweep: 'checked at start-up',
  edit: 'edited',
};

/** Thrown when another writer holds a run: says who (the app or the CLI, pid, since when) and what it is doing. */
export class RunLockedError extends Error {
  constructor(
    readonly runId: string,
    readonly owner: LockOwner | null,
  ) {
    super(
      owner
        ? `run ${runId} is being ${PURPOSE_WORDS[owner.purpose]} by ${owner.holder === 'app' ? 'the app' : 'npm run train'} ` +
            `(pid ${owner.pid}${owner.host === thisHost ? '' : ` on ${owner.host}`}, since ${owner.since})`
        : `run ${runId} is locked by another writer`,
    );
  }
}

const STALE_BREAK_MS = 30_000;

/**
 * Which process a lock names: its pid and start time. The app and the CLI are themselves; a test gives a store
 * another identity to play a second process, or one that has died (a pid no system hands out), in one process.
 */
export interface ProcessIdentity {
  pid: number;
  processStart: string | null;
}
const THIS_PROCESS: ProcessIdentity = { pid: process.pid, processStart: thisProcessStart };

/**
 * One writer per run, across processes: a lock file in the run's folder, created with link() so that it appears
 * whole or not at all (O_EXCL semantics: a second creator gets EEXIST). It names its owner by pid and process start
 * time; a lock whose owner has died (kill -9, a crash, a power cut) is stale and is taken over without the app. The
 * take-over itself is guarded by a second file, so that two processes finding the same stale lock cannot both win.
 */
export class RunLocks {
  /** The tokens of the locks this object holds, by lock path. */
  private readonly held = new Map<string, string>();

  constructor(
    private readonly files: RunFileSystem,
    private readonly holder: LockHolder,
    private readonly identity: ProcessIdentity = THIS_PROCESS,
  ) {}

  /** Takes the lock at `path` for `runId`, or throws RunLockedError naming its live owner. */
  async acquire(path: string, runId: string, purpose: LockPurpose): Promise<void> {
    // Not re-entrant: a run this object holds (training, queued) is as busy as one another process holds.
    if (this.held.has(path)) {
      const current = await this.owner(path);
      throw new RunLockedError(runId, current.state === 'ok' ? current.value : null);
    }
    const owner: LockOwner = {
      ...this.identity,
      host: thisHost,
      holder: this.holder,
      purpose,
      since: new Date().toISOString(),
      token: randomBytes(8).toString('hex'),
    };
    for (let attempt = 0; attempt < 5; attempt++) {
      if (await this.create(path, owner)) {
        this.held.set(path, owner.token);
        return;
      }
      const current = await this.owner(path);
      if (current.state === 'missing') continue;
      if (current.state === 'ok' && !this.isStale(current.value)) throw new RunLockedError(runId, current.value);
      if (current.state === 'damaged' && !(await this.olderThan(path, STALE_BREAK_MS))) {
        throw new RunLockedError(runId, null);
      }
      await this.breakStale(path, current.state === 'ok' ? current.value.token : null);
    }
    throw new RunLockedError(runId, null);
  }

  /** Gives the lock back, if it is still this object's (a stale take-over by another process leaves it alone). */
  async release(path: string): Promise<void> {
    const token = this.held.get(path);
    if (token === undefined) return;
    this.held.delete(path);
    const current = await this.owner(path);
    if (current.state === 'ok' && current.value.token === token) {
      await this.files.unlink(path).catch((error: unknown) => {
        if (errorCode(error) !== 'ENOENT') throw error;
      });
    }
  }

  holds(path: string): boolean {
    return this.held.has(path);
  }

  /** Forgets a lock whose file went with its folder (a deleted run). */
  forget(path: string): void {
    this.held.delete(path);
  }

  /** The lock's owner as its file says, or missing / damaged. */
  owner(path: string) {
    return readRecord(this.files, path, RECORD_LIMITS.lock, (value) => lockOwnerSchema.safeParse(value));
  }

  /** Creates the lock file whole, or returns false if one exists. */
  private async create(path: string, owner: LockOwner): Promise<boolean> {
    const temporary = temporaryName(path);
    await this.files.writeFile(temporary, JSON.stringify(owner), { flag: 'wx' });
    try {
      await this.files.link(temporary, path);
      return true;
    } catch (error) {
      if (errorCode(error) === 'EEXIST') return false;
      throw error;
    } finally {
      await this.files.unlink(temporary).catch(() => undefined);
    }
  }

  /** Removes a stale lock, if it is still the one found stale (its token), while holding the break guard. */
  private async breakStale(path: string, staleToken: string | null): Promise<void> {
    const guard = `${path}.break`;
    const me: LockOwner = {
      ...this.identity,
      host: thisHost,
      holder: this.holder,
      purpose: 'sweep',
      since: new Date().toISOString(),
      token: randomBytes(8).toString('hex'),
    };
    if (!(await this.create(guard, me))) {
      // Another process is breaking it now; a guard whose breaker died mid-way is removed for the next attempt.
      const breaker = await this.owner(guard);
      if ((breaker.state === 'ok' && this.isStale(breaker.value)) || (await this.olderThan(guard, STALE_BREAK_MS))) {
        await this.files.unlink(guard).catch(() => undefined);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
      return;
    }
    try {
      const current = await this.owner(path);
      const same = current.state === 'ok' ? current.value.token === staleToken : staleToken === null;
      if (same && current.state !== 'missing') await this.files.unlink(path).catch(() => undefined);
    } finally {
      await this.files.unlink(guard).catch(() => undefined);
    }
  }

  private async olderThan(path: string, ms: number): Promise<boolean> {
    try {
      return Date.now() - (await this.files.stat(path)).mtimeMs > ms;
    } catch {
      return true;
    }
  }

  /** A lock whose owner is gone: a process of this host that no longer runs (or whose pid now names another). */
  private isStale(owner: LockOwner): boolean {
    const mine = owner.pid === this.identity.pid && owner.processStart === this.identity.processStart;
    return owner.host === thisHost && !mine && !processAlive(owner.pid, owner.processStart);
  }
}
