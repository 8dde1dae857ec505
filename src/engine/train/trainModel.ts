import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { BackendReport } from '../../shared/backends';
import type { FinishedEvent, TrainEvent } from '../../shared/events';
import type { HyperParams } from '../../shared/hyperParams';
import type { ModelSpec } from '../../shared/architecture/modelSpec';
import type { PreparedDataset } from '../data/preparedDataset';
import { epochShuffleSeed, seededRandom, shuffleInPlace } from '../data/split/seededRandom';
import { buildModel, type AttentionLayerInfo } from '../models/buildModel';
import { withSeededInitialization } from '../models/seededInitialization';
import { attentionSnapshots } from './attentionSnapshot';
import { evaluateSplit } from './evaluate';
import { attentionMonitor } from './monitors/attentionMonitor';
import { earlyStopping } from './monitors/earlyStopping';
import { epochMonitor } from './monitors/epochMonitor';
import { nanGuard } from './monitors/nanGuard';
import { progressMonitor } from './monitors/progressMonitor';
import { StepWindow } from './monitors/stepWindow';
import type { TrainingMonitor } from './monitors/trainingMonitor';
import { loadMatchingWeights, restoreCheckpoint, type LoadedCheckpoint } from './checkpoints';
import { freezeBlocks } from './freezeBlocks';
import { checkpointMonitor } from './monitors/checkpointMonitor';
import { learningRateSchedule } from './monitors/learningRateSchedule';
import { createOptimizer, decayedWeights, setLearningRate } from './optimizer';
import { testMetrics } from './testMetrics';
import { trainingStep, type StepContext } from './trainingStep';
import type { RunArtifacts } from './runArtifacts';

export interface TrainingOptions {
  runId: string;
  datasetId: string;
  presetId: string | null;
  spec: ModelSpec;
  hyperParams: HyperParams;
  backend: BackendReport;
  data: PreparedDataset;
  /** Least time between two attention snapshots: monitoring must cost the training little. Defaults to 1000 ms. */
  attentionIntervalMs?: number;
  /** Least time between two progress events. Defaults to 200 ms. */
  progressIntervalMs?: number;
  /** Where the run's checkpoints go (checkpoint every hyperParams.checkpointEvery epochs); none if unset. */
  artifacts?: RunArtifacts;
  /** A checkpoint of this run to go on from: its weights, optimizer state and position. */
  resumeFrom?: LoadedCheckpoint;
  /** Another run's weights to start from (fine-tuning): those with the same name and shape are copied. */
  initialWeights?: LoadedCheckpoint;
  /** Called with the trained model (best weights restored) before it is freed, unless training failed. */
  onTrained?: (
    model: LayersModel,
    probe: { model: LayersModel; attention: AttentionLayerInfo[] },
    position: { epoch: number; globalStep: number },
  ) => Promise<void>;
}

export interface TrainingHooks {
  emit(event: TrainEvent): void;
  /** Polled between steps; true ends the run as 'stopped' after the current step. */
  stopRequested(): boolean;
  /** Called after every optimizer step, with tf state settled (used by the memory tests). */
  afterStep?(globalStep: number): void;
  /** Polled between steps; while true the run waits (the worker's pause and resume). */
  paused?(): boolean;
}

/** Lets queued messages (a stop or pause request) in between two steps. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Trains the model built from `spec` on prepared data of any task: shuffled mini-batches, validation after every
 * epoch, and a test evaluation at the end. Everything else the loop does (progress, the NaN guard, attention
 * snapshots, epoch reports, early stopping) is a monitor (monitors/). Emits started / progress / epoch / attention
 * events and returns the finished event, which it also emits.
 */
export async function trainModel(options: TrainingOptions, hooks: TrainingHooks): Promise<FinishedEvent> {
  const { runId, hyperParams, data } = options;
  const { model, probe, attention } = withSeededInitialization(hyperParams.seed, () =>
    buildModel(options.spec, {
      vocabSizes: data.vocabSizes,
      classes: data.classNames.length,
      dropout: hyperParams.dropout,
    }),
  );
  if (options.initialWeights) loadMatchingWeights(options.initialWeights, model);
  freezeBlocks(model, hyperParams.freeze);
  const optimizer = createOptimizer(hyperParams);
  const resumed = options.resumeFrom;
  const step: StepContext = {
    model,
    optimizer,
    variables: model.trainableWeights.map((w) => w.read() as tf.Variable),
    decayed: decayedWeights(model.trainableWeights),
    hyperParams,
    data,
    learningRate: hyperParams.learningRate,
  };
  const trainRows = Array.from({ length: data.counts.train }, (_, i) => i);
  const rowsPerEpoch =
    hyperParams.maxTrainExamples > 0 ? Math.min(hyperParams.maxTrainExamples, data.counts.train) : data.counts.train;
  const stepsPerEpoch = Math.ceil(rowsPerEpoch / hyperParams.batchSize);
  const snapshots = attentionSnapshots(runId, options.spec, data, probe, attention, model);

  hooks.emit({
    type: 'started',
    runId,
    backend: options.backend,
    datasetId: options.datasetId,
    presetId: options.presetId,
    modelName: options.spec.name,
    hyperParams,
    parameterCount: model.countParams(),
    classNames: data.classNames,
    split: { ...data.counts },
    stepsPerEpoch,
    ...(resumed ? { resumedFrom: { epoch: resumed.epoch, globalStep: resumed.globalStep } } : {}),
    ...(resumed?.notice ? { notice: resumed.notice } : {}),
  });

  let finished: FinishedEvent = { type: 'finished', runId, status: 'completed', epochs: resumed?.epoch ?? 0 };
  const monitors: TrainingMonitor[] = [
    nanGuard(),
    progressMonitor(),
    epochMonitor(),
    attentionMonitor(snapshots.read, options.attentionIntervalMs ?? 1000),
    learningRateSchedule(hyperParams, stepsPerEpoch, (rate) => {
      step.learningRate = rate;
      setLearningRate(optimizer, rate);
    }),
    ...(options.artifacts && hyperParams.checkpointEvery > 0
      ? [checkpointMonitor(options.artifacts, runId, hyperParams.checkpointEvery, hyperParams.epochs, optimizer)]
      : []),
    ...(hyperParams.earlyStoppingPatience > 0
      ? [earlyStopping(hyperParams, (reason) => (finished = { ...finished, reason }))]
      : []),
  ];
  const window = new StepWindow(options.progressIntervalMs ?? 200);
  const state = {
    runId,
    epoch: 0,
    step: 0,
    globalStep: resumed?.globalStep ?? 0,
    stepsPerEpoch,
    model,
    emit: hooks.emit,
  };
  const readWindow = async () => {
    const { steps, windowMs } = await window.read();
    for (const monitor of monitors) monitor.afterRead?.(state, steps, windowMs);
  };

  try {
    if (resumed) await restoreCheckpoint(resumed, model, optimizer);
    for (const monitor of monitors) await monitor.start?.(state);
    training: for (state.epoch = (resumed?.epoch ?? 0) + 1; state.epoch <= hyperParams.epochs; state.epoch++) {
      const epochStart = performance.now();
      // Each epoch's order comes from the seed and the epoch alone, so a resumed run sees the batches it would have
      // seen, at no cost for the epochs it skips.
      const rows = shuffleInPlace([...trainRows], seededRandom(epochShuffleSeed(hyperParams.seed, state.epoch))).slice(
        0,
        rowsPerEpoch,
      );
      for (state.step = 1; state.step <= stepsPerEpoch; state.step++) {
        while (hooks.paused?.() && !hooks.stopRequested()) await sleep(100);
        if (hooks.stopRequested()) {
          finished = { ...finished, status: 'stopped', reason: 'stopped by the user' };
          break training;
        }
        for (const monitor of monitors) monitor.beforeStep?.(state);
        const batchRows = rows.slice((state.step - 1) * hyperParams.batchSize, state.step * hyperParams.batchSize);
        const tensors = trainingStep(step, batchRows);
        state.globalStep++;
        window.add(
          {
            epoch: state.epoch,
            step: state.step,
            globalStep: state.globalStep,
            samples: batchRows.length,
            learningRate: step.learningRate,
          },
          tensors,
        );
        if (window.due(state.step === stepsPerEpoch)) await readWindow();
        hooks.afterStep?.(state.globalStep);
        for (const monitor of monitors) await monitor.afterStep?.(state);
        await yieldToEventLoop();
      }
      const validation = await evaluateSplit(model, data, 'validation', hyperParams.batchSize);
      finished = { ...finished, epochs: state.epoch };
      const record = { epoch: state.epoch, validation, seconds: (performance.now() - epochStart) / 1000 };
      let stop = false;
      for (const monitor of monitors) stop = (await monitor.afterEpoch?.(state, record)) === 'stop' || stop;
      if (stop) break;
    }
    // Early stopping puts the best weights back here, before the test split is measured.
    for (const monitor of monitors) monitor.finish?.(state);
    if (finished.status === 'completed' && data.counts.test > 0) {
      finished = { ...finished, test: await testMetrics(model, data, hyperParams.batchSize) };
    }
    if (options.onTrained) {
      try {
        await options.onTrained(
          model,
          { model: probe, attention },
          { epoch: finished.epochs, globalStep: state.globalStep },
        );
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        finished = {
          ...finished,
          status: 'failed',
          reason: `the model trained but could not be evaluated or exported: ${message}`,
        };
      }
    }
  } catch (error) {
    for (const monitor of monitors) monitor.finish?.(state);
    finished = { ...finished, status: 'failed', reason: error instanceof Error ? error.message : String(error) };
  } finally {
    window.dispose();
    snapshots.dispose();
    optimizer.dispose();
    model.dispose();
  }
  hooks.emit(finished);
  return finished;
}
