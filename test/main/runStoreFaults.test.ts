import { mkdtemp, readdir, readFile, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetLibrary } from '../../src/engine/data/library/datasetLibrary';
import { CheckpointFiles } from '../../src/main/runs/checkpointFiles';
import { RunStore } from '../../src/main/runs/runStore';
import { nodeFileSystem } from '../../src/main/runs/runFileSystem';
import { TrainingService } from '../../src/main/services/trainingService';
import { hyperParamsSchema } from '../../src/shared/hyperParams';
import { runRecord } from '../support/runRecords';
import type { CheckpointIndex } from '../../src/shared/storedRecords/checkpointIndex';
import { fakeSupervisor } from '../support/fakeSupervisor';
import { faultyFileSystem, SimulatedCrash } from '../support/faultyFileSystem';
import { playedProcess } from '../support/playedProcess';

/** A checkpoint of one tensor of `values` floats, all equal to `epoch`: its bytes say which write it came from. */
function checkpointOf(epoch: number, values = 1000) {
  const tensor = new Float32Array(values).fill(epoch);
  const index: CheckpointIndex = {
    format: 1,
    epoch,
    globalStep: epoch * 10,
    valLoss: 1 / epoch,
    weights: [{ name: '0:dense/kernel', shape: [values], dtype: 'float32', offset: 0 }],
    optimizer: [],
  };
  return { index, tensors: [new Uint8Array(tensor.buffer)] };
}

/** The checkpoint read back must be one whole write: its index and every value of the same epoch. */
function expectWhole(loaded: Awaited<ReturnType<CheckpointFiles['load']>>, epochs: number[]) {
  expect(loaded).not.toBeNull();
  const { index, tensors } = loaded!;
  expect(epochs).toContain(index.epoch);
  const values = new Float32Array(tensors.buffer.slice(tensors.byteOffset, tensors.byteOffset + tensors.byteLength));
  expect(values.length).toBe(1000);
  expect(values.every((v) => v === index.epoch)).toBe(true);
  return index.epoch;
}

const record = (id: string) => runRecord(id, { status: 'running' });

const builtinOnly = new DatasetLibrary({ cacheDir: tmpdir(), datasetsDir: join(tmpdir(), 'no-imported-datasets') });

describe('the run store under faults', () => {
  it('a crash at every step of replacing a checkpoint leaves a whole one, old or new, that resume finds', async () => {
    // Count the protocol's steps in a clean replace first.
    const probe = await mkdtemp(join(tmpdir(), 'ckpt-'));
    await new CheckpointFiles(nodeFileSystem, probe).write('latest', checkpointOf(1).index, checkpointOf(1).tensors);
    const counted = faultyFileSystem();
    await new CheckpointFiles(counted.files, probe).write('latest', checkpointOf(2).index, checkpointOf(2).tensors);
    const steps = counted.mutations.length;
    expect(steps).toBeGreaterThanOrEqual(8);

    const seen = new Set<number>();
    for (let step = 0; step <= steps; step++) {
      const folder = await mkdtemp(join(tmpdir(), 'ckpt-'));
      await new CheckpointFiles(nodeFileSystem, folder).write('latest', checkpointOf(1).index, checkpointOf(1).tensors);
      const faulty = faultyFileSystem({ crashAt: step });
      const write = new CheckpointFiles(faulty.files, folder).write(
        'latest',
        checkpointOf(2).index,
        checkpointOf(2).tensors,
      );
      if (step < steps) await expect(write).rejects.toBeInstanceOf(SimulatedCrash);
      else await write;
      // The next process: whatever step the crash cut, a whole checkpoint of epoch 1 or 2 reads back.
      const after = new CheckpointFiles(nodeFileSystem, folder);
      const epoch = expectWhole(await after.load(['latest']), step < steps ? [1, 2] : [2]);
      seen.add(epoch);
      // Its leftovers are swept without touching the whole checkpoint. They carry the crashed writer's pid, which
      // here is the test's own (alive, so its temporaries would be left alone): renamed to a dead process's.
      for (const name of await readdir(folder)) {
        const dead = name.replace(`.${process.pid}-`, `.${playedProcess().pid}-`);
        if (dead !== name) await rename(join(folder, name), join(folder, dead));
      }
      await after.sweep();
      expect((await readdir(folder)).filter((name) => name !== 'latest')).toEqual([]);
      expect(expectWhole(await after.load(['latest']), [epoch])).toBe(epoch);
    }
    // Early crashes keep the old checkpoint, late ones the new: both sides of the rename were reached.
    expect([...seen].sort()).toEqual([1, 2]);
  });

  it('a crash at every step of rewriting run.json leaves the old record or the new one', async () => {
    const root = await mkdtemp(join(tmpdir(), 'runs-'));
    const setup = new RunStore(root, { identity: playedProcess(1) });
    await setup.create(record('r1'));
    await setup.release('r1');
    const counted = faultyFileSystem();
    const probe = new RunStore(root, { files: counted.files, identity: playedProcess(2) });
    await probe.update('r1', { name: 'probe' });
    const steps = counted.mutations.length;
    for (let step = 0; step < steps; step++) {
      const before = (await new RunStore(root).record('r1')).name;
      // The lock the last crash left is recovered first (a stale lock's take-over has steps of its own).
      await rm(join(root, 'r1', 'writer.lock'), { force: true });
      const crashing = new RunStore(root, {
        files: faultyFileSystem({ crashAt: step }).files,
        identity: playedProcess(3 + step),
      });
      await expect(crashing.update('r1', { name: `step ${step}` })).rejects.toBeInstanceOf(SimulatedCrash);
      const after = await new RunStore(root).record('r1');
      expect([before, `step ${step}`]).toContain(after.name);
    }
  });

  it.each([
    ['ENOSPC', 'no space left on device'],
    ['EIO', 'i/o error'],
  ])('%s while writing a checkpoint fails the write, leaves the old one and no temporary', async (code, text) => {
    const folder = await mkdtemp(join(tmpdir(), 'ckpt-'));
    await new CheckpointFiles(nodeFileSystem, folder).write('latest', checkpointOf(1).index, checkpointOf(1).tensors);
    const full = faultyFileSystem({ failWith: { code, when: (op) => op === 'handle.write' } });
    await expect(
      new CheckpointFiles(full.files, folder).write('latest', checkpointOf(2).index, checkpointOf(2).tensors),
    ).rejects.toThrow(new RegExp(`^${code}: ${text}, write '.*tensors\\.bin'$`));
    expect(await readdir(folder)).toEqual(['latest']);
    expectWhole(await new CheckpointFiles(nodeFileSystem, folder).load(['latest']), [1]);
  });

  it('a training run whose checkpoint hits a full disk ends failed with the reason, its last checkpoint whole', async () => {
    const { smallTextTask } = await import('../support/smallTextTask');
    const { trainModel } = await import('../../src/engine/train/trainModel');
    const { selectBackend } = await import('../../src/engine/backend');
    const { RunArtifactFiles } = await import('../../src/main/runs/runArtifactFiles');
    const { spec, data } = smallTextTask();
    const root = await mkdtemp(join(tmpdir(), 'runs-'));
    // The disk fills during epoch 2's checkpoint.
    let epochsSaved = 0;
    const full = faultyFileSystem({
      failWith: {
        code: 'ENOSPC',
        when: (op, path) => op === 'handle.write' && path.endsWith('tensors.bin') && epochsSaved >= 2,
      },
    });
    const artifacts = new RunArtifactFiles(full.files, root);
    const counting = {
      ...artifacts,
      saveCheckpoint: async (...args: Parameters<typeof artifacts.saveCheckpoint>) => {
        if (args[1] === 'latest') epochsSaved++;
        return artifacts.saveCheckpoint(...args);
      },
      loadCheckpoint: artifacts.loadCheckpoint.bind(artifacts),
      bestValLoss: artifacts.bestValLoss.bind(artifacts),
      writeEvaluation: artifacts.writeEvaluation.bind(artifacts),
    };
    const finished = await trainModel(
      {
        runId: 'r1',
        datasetId: 'keyword-topics',
        presetId: 'transformer-text',
        spec,
        hyperParams: hyperParamsSchema.parse({ epochs: 3, batchSize: 16, dropout: 0, learningRate: 3e-3 }),
        backend: await selectBackend(process.env['WORKBENCH_BACKEND']),
        data,
        attentionIntervalMs: 1e9,
        artifacts: counting,
      },
      { emit: () => undefined, stopRequested: () => false },
    );
    expect(finished).toMatchObject({ status: 'failed', epochs: 2 });
    expect(finished.reason).toMatch(/^ENOSPC: no space left on device, write '.*tensors\.bin'$/);
    const checkpoints = join(root, 'r1', 'checkpoints');
    expect((await readdir(checkpoints)).sort()).toEqual(['best', 'latest']);
    const latest = await new CheckpointFiles(nodeFileSystem, checkpoints).load(['latest']);
    expect(latest!.index.epoch).toBe(1);
  });

  it('a damaged latest checkpoint falls back to best, naming the file and what is wrong', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'ckpt-'));
    const files = new CheckpointFiles(nodeFileSystem, folder);
    await files.write('best', checkpointOf(2).index, checkpointOf(2).tensors);
    await files.write('latest', checkpointOf(3).index, checkpointOf(3).tensors);
    // Truncated to a length that is not even a multiple of 4.
    await truncate(join(folder, 'latest', 'tensors.bin'), 1999);
    const loaded = await files.load(['latest', 'best']);
    expectWhole(loaded, [2]);
    expect(loaded!.notice).toBe(
      `the latest checkpoint (${join(folder, 'latest')}) is damaged: latest/: tensors.bin holds 1999 bytes but ` +
        `0:dense/kernel needs bytes 0 to 4000; going on from best (epoch 2)`,
    );
    // Both damaged: the error names each.
    await writeFile(join(folder, 'best', 'checkpoint.json'), '{"format":1,"epoch":1e12}');
    await expect(files.load(['latest', 'best'])).rejects.toThrow(
      /the latest checkpoint .* is damaged: .*; the best checkpoint .* is damaged: best\/: checkpoint\.json: epoch: Too big: expected number to be <=10000/,
    );
  });

  it('a run whose records hit a full disk is stopped and ends failed with the reason, unlocked and resumable', async () => {
    const root = await mkdtemp(join(tmpdir(), 'runs-'));
    let diskFull = false;
    const faulty = faultyFileSystem({ failWith: { code: 'ENOSPC', when: () => diskFull } });
    const fake = fakeSupervisor();
    const store = new RunStore(root, { files: faulty.files, identity: playedProcess(1) });
    const service = new TrainingService(fake.supervisor, store, () => undefined, builtinOnly);
    const hyperParams = hyperParamsSchema.parse({});
    const { runId } = await service.start({ presetId: 'transformer-text', datasetId: 'keyword-topics', hyperParams });
    const checkpoints = new CheckpointFiles(nodeFileSystem, join(root, runId, 'checkpoints'));
    await checkpoints.write('latest', checkpointOf(1).index, checkpointOf(1).tensors);
    diskFull = true;
    fake.emit({ type: 'progress', runId, epoch: 2, step: 1, globalStep: 11, loss: 1, samplesPerSecond: 1 });
    await expect.poll(() => fake.stopped).toEqual([runId]);
    // The worker stops after its step; by then the disk has room for the small run.json again.
    diskFull = false;
    fake.emit({ type: 'finished', runId, status: 'stopped', reason: 'stopped by the user', epochs: 1 });
    const stored = new RunStore(root);
    await expect.poll(async () => (await stored.record(runId)).status).toBe('failed');
    expect((await stored.record(runId)).reason).toMatch(
      /^the run store could not write: ENOSPC: no space left on device, (appendFile|open) '.*'$/,
    );
    expect(
      (await readdir(join(root, runId))).filter((name) => name.endsWith('.tmp') || name === 'writer.lock'),
    ).toEqual([]);
    const resumer = fakeSupervisor();
    await new TrainingService(resumer.supervisor, stored, () => undefined, builtinOnly).resume(runId);
    expect(resumer.plans).toEqual([expect.objectContaining({ runId, resume: true })]);
  });

  it('a checkpoint index saying epoch 1e12 is damaged, not replayed', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'ckpt-'));
    const files = new CheckpointFiles(nodeFileSystem, folder);
    await files.write('latest', checkpointOf(1).index, checkpointOf(1).tensors);
    const index = JSON.parse(await readFile(join(folder, 'latest', 'checkpoint.json'), 'utf8'));
    await writeFile(join(folder, 'latest', 'checkpoint.json'), JSON.stringify({ ...index, epoch: 1e12 }));
    expect(await files.inspect('latest')).toEqual({
      state: 'damaged',
      reason: 'latest/: checkpoint.json: epoch: Too big: expected number to be <=10000',
    });
  });
});
