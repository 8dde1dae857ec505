import { join } from 'node:path';
import { CHECKPOINT_FILES, CHECKPOINT_SLOTS, RECORD_LIMITS, type CheckpointSlot } from '../../shared/runLayout';
import {
  checkpointIndexSchema,
  MAX_CHECKPOINT_BYTES,
  tensorsMismatch,
  type CheckpointIndex,
} from '../../shared/storedRecords/checkpointIndex';
import type { StoredCheckpoint } from '../../engine/train/runArtifacts';
import { writeFolderAtomically } from '../../engine/io/atomicWrite';
import { isAbandonedTemporary } from '../../engine/io/atomicWrite';
import { readRecord } from './readRecord';
import { errorCode, sizeOf, type RunFileSystem } from './runFileSystem';

/** What reading one checkpoint folder found. */
export type CheckpointRead =
  | { state: 'ok'; index: CheckpointIndex; tensorsPath: string }
  | { state: 'missing' }
  | { state: 'damaged'; reason: string };

/**
 * The checkpoint folders of one run (checkpoints/<slot>/ with checkpoint.json and tensors.bin) and their write
 * protocol. A slot is replaced in five steps:
 *   1. the new checkpoint is written whole into a temporary folder of a unique name (tensors first, flushed);
 *   2. a `.<slot>-old` left by an earlier crash is removed;
 *   3. the slot is renamed to `.<slot>-old`;
 *   4. the temporary folder is renamed to the slot;
 *   5. `.<slot>-old` is removed.
 * A crash after any step leaves the slot whole, or (between 3 and 4) its previous version whole in `.<slot>-old`,
 * which a reader takes when the slot is missing or damaged. A failure (ENOSPC, EIO) in step 1 removes the temporary.
 */
export class CheckpointFiles {
  constructor(
    private readonly files: RunFileSystem,
    private readonly folder: string,
  ) {}

  async write(slot: CheckpointSlot, index: CheckpointIndex, tensors: Uint8Array[]): Promise<void> {
    await this.files.mkdir(this.folder, { recursive: true });
    const target = join(this.folder, slot);
    const aside = join(this.folder, `.${slot}-old`);
    await writeFolderAtomically(
      this.files,
      target,
      async (temporary) => {
        await this.writeFlushed(join(temporary, CHECKPOINT_FILES.tensors), tensors);
        await this.writeFlushed(join(temporary, CHECKPOINT_FILES.index), [Buffer.from(JSON.stringify(index))]);
      },
      async (temporary) => {
        await this.files.rm(aside, { recursive: true, force: true });
        await this.files.rename(target, aside).catch((error: unknown) => {
          if (errorCode(error) !== 'ENOENT') throw error;
        });
        await this.files.rename(temporary, target);
        await this.files.rm(aside, { recursive: true, force: true });
      },
    );
  }

  /** Reads one slot's index and checks it against its tensors' size; the tensors themselves are not read. */
  async inspect(slot: CheckpointSlot): Promise<CheckpointRead & { folder?: string }> {
    let missing = true;
    const reasons: string[] = [];
    for (const name of [slot, `.${slot}-old`]) {
      const found = await this.inspectFolder(join(this.folder, name));
      if (found.state === 'ok') return found;
      if (found.state === 'damaged') {
        missing = false;
        reasons.push(`${name}/: ${found.reason}`);
      }
    }
    return missing ? { state: 'missing' } : { state: 'damaged', reason: reasons.join('; ') };
  }

  /** The first whole checkpoint among `slots`; see RunArtifacts.loadCheckpoint. */
  async load(slots: readonly CheckpointSlot[]): Promise<StoredCheckpoint | null> {
    const damaged: string[] = [];
    for (const slot of slots) {
      const found = await this.inspect(slot);
      if (found.state === 'missing') continue;
      if (found.state === 'damaged') {
        damaged.push(`the ${slot} checkpoint (${join(this.folder, slot)}) is damaged: ${found.reason}`);
        continue;
      }
      let tensors: Buffer;
      try {
        tensors = await this.files.readFile(found.tensorsPath);
        const mismatch = tensorsMismatch(found.index, tensors.byteLength);
        if (mismatch) throw new Error(mismatch);
      } catch (error) {
        damaged.push(`the ${slot} checkpoint (${found.tensorsPath}) is damaged: ${(error as Error).message}`);
        continue;
      }
      const notice = damaged.length ? `${damaged.join('; ')}; going on from ${slot} (epoch ${found.index.epoch})` : '';
      return { slot, index: found.index, tensors, ...(notice ? { notice } : {}) };
    }
    if (damaged.length) throw new Error(damaged.join('; '));
    return null;
  }

  /**
   * Repairs what crashed or failed writes left: temporary folders of writers that died are removed; a slot lost between steps 3 and 4
   * is put back from its whole `.<slot>-old`; a `.<slot>-old` beside a whole slot is removed.
   */
  async sweep(): Promise<void> {
    const names = await this.files.readdir(this.folder).catch(() => [] as string[]);
    for (const name of names) {
      if (isAbandonedTemporary(name)) await this.files.rm(join(this.folder, name), { recursive: true, force: true });
    }
    for (const slot of CHECKPOINT_SLOTS) {
      const aside = join(this.folder, `.${slot}-old`);
      if (!names.includes(`.${slot}-old`)) continue;
      const target = join(this.folder, slot);
      if ((await this.inspectFolder(target)).state !== 'ok' && (await this.inspectFolder(aside)).state === 'ok') {
        await this.files.rm(target, { recursive: true, force: true });
        await this.files.rename(aside, target);
      } else {
        await this.files.rm(aside, { recursive: true, force: true });
      }
    }
  }

  private async inspectFolder(path: string): Promise<CheckpointRead> {
    const index = await readRecord(this.files, join(path, CHECKPOINT_FILES.index), RECORD_LIMITS.checkpointIndex, (v) =>
      checkpointIndexSchema.safeParse(v),
    );
    if (index.state !== 'ok') {
      return index.state === 'missing' && (await sizeOf(this.files, path).catch(() => null)) === null
        ? { state: 'missing' }
        : {
            state: 'damaged',
            reason: `${CHECKPOINT_FILES.index}: ${index.state === 'missing' ? 'missing' : index.reason}`,
          };
    }
    const tensorsPath = join(path, CHECKPOINT_FILES.tensors);
    const size = await sizeOf(this.files, tensorsPath).catch(() => null);
    if (size === null) return { state: 'damaged', reason: `${CHECKPOINT_FILES.tensors} is missing` };
    if (size > MAX_CHECKPOINT_BYTES) return { state: 'damaged', reason: `${CHECKPOINT_FILES.tensors} is too large` };
    const mismatch = tensorsMismatch(index.value, size);
    return mismatch ? { state: 'damaged', reason: mismatch } : { state: 'ok', index: index.value, tensorsPath };
  }

  private async writeFlushed(path: string, parts: Uint8Array[]): Promise<void> {
    const handle = await this.files.open(path, 'wx');
    try {
      for (const part of parts) {
        // A write may take fewer bytes than it was given; go on from where it stopped.
        for (let done = 0; done < part.byteLength;) done += (await handle.write(part, done)).bytesWritten;
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}
