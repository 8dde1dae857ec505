import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/engine/backend';
import { loadCheckpoint } from '../../../src/engine/train/checkpoints';
import { trainModel, type TrainingOptions } from '../../../src/engine/train/trainModel';
import type { BackendReport } from '../../../src/shared/backends';
import type { EpochEvent, ProgressEvent, TrainEvent } from '../../../src/shared/events';
import { hyperParamsSchema } from '../../../src/shared/hyperParams';
import { smallTextTask } from '../../support/smallTextTask';
import { RunArtifactFiles } from '../../../src/main/runs/runArtifactFiles';
import { nodeFileSystem } from '../../../src/main/runs/runFileSystem';

let backend: BackendReport;
const { spec, data } = smallTextTask();
// With dropout: its masks come from the run's seed and step too, so a run is a function of its seed, and a resumed
// one can be compared step by step, exactly.
const hyperParams = hyperParamsSchema.parse({ epochs: 3, batchSize: 16, dropout: 0.2, learningRate: 3e-3 });

function options(checkpointDir: string, extra: Partial<TrainingOptions> = {}): TrainingOptions {
  return {
    runId: 'run',
    datasetId: 'keyword-topics',
    presetId: 'transformer-text',
    spec,
    hyperParams,
    backend,
    data,
    attentionIntervalMs: 1e9,
    progressIntervalMs: 0,
    artifacts: new RunArtifactFiles(nodeFileSystem, checkpointDir),
    ...extra,
  };
}

beforeAll(async () => {
  backend = await selectBackend(process.env['WORKBENCH_BACKEND']);
});

describe('checkpoints and resume', () => {
  it('a run stopped mid-epoch and resumed from its checkpoint gives the losses of an uninterrupted one', async () => {
    const whole: TrainEvent[] = [];
    const wholeDir = await mkdtemp(join(tmpdir(), 'whole-'));
    await trainModel(options(wholeDir), { emit: (e) => whole.push(e), stopRequested: () => false });
    expect((await readdir(join(wholeDir, 'run', 'checkpoints'))).sort()).toEqual(['best', 'latest']);

    const stepsPerEpoch = Math.ceil(data.counts.train / 16);
    const dir = await mkdtemp(join(tmpdir(), 'stopped-'));
    let steps = 0;
    const stopped = await trainModel(options(dir), {
      emit: () => undefined,
      // Stopped three steps into epoch 2: the latest checkpoint is the end of epoch 1.
      stopRequested: () => steps >= stepsPerEpoch + 3,
      afterStep: () => steps++,
    });
    expect(stopped.status).toBe('stopped');
    const checkpoint = await loadCheckpoint(new RunArtifactFiles(nodeFileSystem, dir), 'run', ['latest']);
    expect(checkpoint).toMatchObject({ epoch: 1, globalStep: stepsPerEpoch });

    const before = tf.memory().numTensors;
    const resumed: TrainEvent[] = [];
    const finished = await trainModel(options(dir, { resumeFrom: checkpoint! }), {
      emit: (e) => resumed.push(e),
      stopRequested: () => false,
    });
    expect(finished).toMatchObject({ status: 'completed', epochs: 3 });
    expect(resumed[0]).toMatchObject({ type: 'started', resumedFrom: { epoch: 1, globalStep: stepsPerEpoch } });
    expect(tf.memory().numTensors).toBe(before - checkpoint!.weights.length - checkpoint!.optimizer.length);

    const epochs = (events: TrainEvent[]) => events.filter((e): e is EpochEvent => e.type === 'epoch');
    const steps2 = (events: TrainEvent[]) => events.filter((e): e is ProgressEvent => e.type === 'progress');
    // The resumed run goes on at step stepsPerEpoch + 1 and its curves continue the uninterrupted run's.
    expect(steps2(resumed)[0]!.globalStep).toBe(stepsPerEpoch + 1);
    expect(epochs(resumed).map((e) => e.epoch)).toEqual([2, 3]);
    epochs(resumed).forEach((epoch, i) => {
      const same = epochs(whole)[i + 1]!;
      expect(epoch.loss).toBe(same.loss);
      expect(epoch.valLoss).toBe(same.valLoss);
      expect(epoch.valAccuracy).toBe(same.valAccuracy);
    });
    const wholeLater = steps2(whole).filter((e) => e.globalStep > stepsPerEpoch);
    expect(steps2(resumed).map((e) => e.loss)).toEqual(wholeLater.map((e) => e.loss));
    expect(finished.test!.loss).toBe((whole.at(-1) as { test: { loss: number } }).test.loss);
  });

  it("a resumed run keeps early stopping's best epoch and patience, and stops and restores as the whole one did", async () => {
    // No epoch is ever better than the first by 10: with patience 2 the run stops after epoch 3, back at epoch 1.
    const recipe = { ...hyperParams, epochs: 6, earlyStoppingPatience: 2, earlyStoppingMinDelta: 10 };
    const weightsOf = (events: TrainEvent[]) => events.at(-1) as { epochs: number; test: { loss: number } };
    const whole: TrainEvent[] = [];
    const wholeFinished = await trainModel(
      options(await mkdtemp(join(tmpdir(), 'es-whole-')), { hyperParams: recipe }),
      {
        emit: (e) => whole.push(e),
        stopRequested: () => false,
      },
    );
    expect(wholeFinished).toMatchObject({ status: 'completed', epochs: 3 });
    expect(wholeFinished.reason).toBe('early stopping: no better validation loss since epoch 1');

    const stepsPerEpoch = Math.ceil(data.counts.train / 16);
    const dir = await mkdtemp(join(tmpdir(), 'es-stopped-'));
    let steps = 0;
    // Stopped in epoch 3: the latest checkpoint is epoch 2's, one epoch into the patience.
    await trainModel(options(dir, { hyperParams: recipe }), {
      emit: () => undefined,
      stopRequested: () => steps >= 2 * stepsPerEpoch + 2,
      afterStep: () => steps++,
    });
    const checkpoint = await loadCheckpoint(new RunArtifactFiles(nodeFileSystem, dir), 'run', ['latest']);
    expect(checkpoint).toMatchObject({ epoch: 2, earlyStopping: { epoch: 1 } });
    const resumed: TrainEvent[] = [];
    const finished = await trainModel(options(dir, { hyperParams: recipe, resumeFrom: checkpoint! }), {
      emit: (e) => resumed.push(e),
      stopRequested: () => false,
    });
    // Without the saved position it would count patience afresh from epoch 3 and stop after epoch 5.
    expect(finished).toMatchObject({ status: 'completed', epochs: 3, reason: wholeFinished.reason });
    // The best epoch's weights came back from the best checkpoint: the test figures are the whole run's.
    expect(finished.test!.loss).toBe(weightsOf(whole).test.loss);
  });

  it('the same seed trains the same run, dropout masks included, step for step; another seed another', async () => {
    const losses = async (seed: number) => {
      const events: TrainEvent[] = [];
      const recipe = { ...hyperParams, epochs: 1, seed, checkpointEvery: 0 };
      await trainModel(options(await mkdtemp(join(tmpdir(), 'seeded-')), { hyperParams: recipe }), {
        emit: (e) => events.push(e),
        stopRequested: () => false,
      });
      return events.flatMap((e) => (e.type === 'progress' ? [(e as ProgressEvent).loss] : []));
    };
    const first = await losses(5);
    expect(first.length).toBeGreaterThan(10);
    expect(await losses(5)).toEqual(first);
    const other = await losses(6);
    expect(other).not.toEqual(first);
  });

  it('fine-tuning copies the weights of the same name and shape from another run, and leaves the rest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'source-'));
    await trainModel(options(dir, { hyperParams: { ...hyperParams, epochs: 1 } }), {
      emit: () => undefined,
      stopRequested: () => false,
    });
    const checkpoint = (await loadCheckpoint(new RunArtifactFiles(nodeFileSystem, dir), 'run', ['best']))!;
    const saved = new Map(checkpoint.weights.map((w) => [w.name, w.tensor.dataSync().slice()]));
    // Five classes instead of three: the head differs in shape, everything below it fits.
    const { buildModel } = await import('../../../src/engine/models/buildModel');
    const { loadMatchingWeights } = await import('../../../src/engine/train/checkpoints');
    const { model } = buildModel(spec, { vocabSizes: data.vocabSizes, classes: 5, dropout: 0 });
    const { copied, of } = loadMatchingWeights(checkpoint, model);
    expect(copied).toBe(of - 2);
    for (const weight of model.weights) {
      const source = saved.get(weight.originalName)!;
      if (weight.originalName.startsWith('head/')) expect(weight.shape).not.toEqual([source.length]);
      else expect(weight.read().dataSync()).toEqual(source);
    }
    model.dispose();
  });
});
