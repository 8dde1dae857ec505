/**
 * A second process for the run store's tests: it opens the store at argv[2] as the CLI would and carries out the
 * commands its parent sends over IPC, answering each with its outcome. A test kills it (-9) to play a crash.
 */
import { RunStore } from '../../src/main/runs/runStore';
import { claimResume } from '../../src/main/runs/resumePlan';
import { RunLockedError } from '../../src/main/runs/runLock';
import { runRecord } from './runRecords';

export type DriverCommand =
  | { op: 'create'; runId: string }
  | { op: 'append'; runId: string; step: number }
  | { op: 'checkpoint'; runId: string; epoch: number }
  | { op: 'finish'; runId: string }
  | { op: 'resume'; runId: string }
  | { op: 'delete'; runId: string }
  | { op: 'sweep' };

export type DriverReply = { ok: true } | { ok: false; locked: boolean; error: string };

const store = new RunStore(process.argv[2]!, { holder: 'cli' });

async function carryOut(command: DriverCommand): Promise<void> {
  switch (command.op) {
    case 'create':
      return store.create(runRecord(command.runId, { status: 'running', origin: 'cli' }));
    case 'append':
      // A writer appends only to runs it holds: the training worker runs in the process that took the lock.
      if (!store.holds(command.runId)) throw new Error(`this process does not hold ${command.runId}`);
      return store.append(command.runId, {
        type: 'progress',
        runId: command.runId,
        epoch: 1,
        step: command.step,
        globalStep: command.step,
        loss: 1 / command.step,
        samplesPerSecond: 1,
      });
    case 'checkpoint': {
      if (!store.holds(command.runId)) throw new Error(`this process does not hold ${command.runId}`);
      const values = new Float32Array(64).fill(command.epoch);
      const index = {
        format: 1 as const,
        epoch: command.epoch,
        globalStep: command.epoch,
        valLoss: 1,
        weights: [{ name: '0:w', shape: [64], dtype: 'float32' as const, offset: 0 }],
        optimizer: [],
      };
      return store.artifacts.saveCheckpoint(command.runId, 'latest', index, [new Uint8Array(values.buffer)]);
    }
    case 'finish':
      if (!store.holds(command.runId)) throw new Error(`this process does not hold ${command.runId}`);
      await store.update(command.runId, { status: 'completed' });
      return store.release(command.runId);
    case 'resume':
      await claimResume(store, command.runId);
      return;
    case 'delete':
      await store.remove(command.runId);
      return;
    case 'sweep':
      return store.recoverInterrupted();
  }
}

process.on('message', (command: DriverCommand) => {
  carryOut(command).then(
    () => process.send!({ ok: true } satisfies DriverReply),
    (error: unknown) =>
      process.send!({
        ok: false,
        locked: error instanceof RunLockedError,
        error: error instanceof Error ? error.message : String(error),
      } satisfies DriverReply),
  );
});
process.send!({ ok: true } satisfies DriverReply);
