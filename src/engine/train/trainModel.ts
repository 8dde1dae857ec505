import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { BackendReport } from '../../shared/backends';
import type { AttentionEvent, FinishedEvent, TrainEvent } from '../../shared/events';
import type { HyperParams } from '../../shared/hyperParams';
import type { ModelSpec } from '../../shared/spec/modelSpec';
import type { PreparedDataset } from '../data/preparedDataset';
import { seededRandom, shuffleInPlace } from '../data/split/seededRandom';
import { buildModel, type AttentionLayerInfo } from '../models/buildModel';
import { withSeededInitialization } from '../models/seededInitialization';
import { readAttention, type AttentionSample } from './attentionSnapshot';
import { evaluateSplit } from './evaluate';
import { correctCount, taskLoss } from './losses';
import { applyWeightDecay, createOptimizer, decayedWeights } from './optimizer';
import { testMetrics } from './testMetrics';

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
  /** Called with the trained model (best weights restored) before it is freed, unless training failed. */
  onTrained?: (model: LayersModel, probe: { model: LayersModel; attention: AttentionLayerInfo[] }) => Promise<void>;
}

export interface TrainingHooks {
  emit(event: TrainEvent): void;
  /** Polled between steps; true ends the run as 'stopped' after the current step. */
  stopRequested(): boolean;
  /** Called after every optimizer step, with tf state settled (used by the memory tests). */
  afterStep?(globalStep: number): void;
}

/** Lets queued messages (a stop request) in between two steps. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Trains the model built from `spec` on prepared data of any task: shuffled mini-batches, validation after every
 * epoch, optional early stopping on validation loss (restoring the best weights), and a test evaluation at the end.
 * Emits started / progress / epoch / attention events and returns the finished event, which it also emits.
 */
export async function trainModel(options: TrainingOptions, hooks: TrainingHooks): Promise<FinishedEvent> {
  const { runId, hyperParams, data } = options;
  const classes = data.classNames.length;
  const { model, probe, attention } = withSeededInitialization(hyperParams.seed, () =>
    buildModel(options.spec, { vocabSizes: data.vocabSizes, classes, dropout: hyperParams.dropout }),
  );
  const optimizer = createOptimizer(hyperParams);
  const trainableVariables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const decayed = decayedWeights(model.trainableWeights);
  const trainRows = Array.from({ length: data.counts.train }, (_, i) => i);
  const rowsPerEpoch =
    hyperParams.maxTrainExamples > 0 ? Math.min(hyperParams.maxTrainExamples, data.counts.train) : data.counts.train;
  const stepsPerEpoch = Math.ceil(rowsPerEpoch / hyperParams.batchSize);
  // A fixed validation example (the first), so that successive snapshots compare.
  const sampleSplit = data.counts.validation > 0 ? 'validation' : 'train';
  const sampleView = data.view(sampleSplit, 0);
  const sampleBatch = data.batch(sampleSplit, [0]);
  sampleBatch.targets.dispose();
  const sample: AttentionSample = { inputs: sampleBatch.inputs, tokens: sampleView.tokens };
  const firstTokenInput = options.spec.inputs.find((input) => input.kind === 'tokens');

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
  });

  let epoch = 0;
  let globalStep = 0;
  const emitAttention = async () => {
    if (attention.length === 0) return;
    const reading = await readAttention(probe, attention, sample);
    const event: AttentionEvent = {
      type: 'attention',
      runId,
      epoch,
      globalStep,
      tokens: firstTokenInput ? (sample.tokens[firstTokenInput.id] ?? []) : [],
      label: sampleView.target,
      predicted: data.showPrediction(reading.predicted),
      layers: reading.layers,
    };
    hooks.emit(event);
  };

  const random = seededRandom(hyperParams.seed + 1);
  const attentionInterval = options.attentionIntervalMs ?? 1000;
  const progressInterval = options.progressIntervalMs ?? 200;
  let best: { valLoss: number; epoch: number; weights: tf.Tensor[] | null } = {
    valLoss: Infinity,
    epoch: 0,
    weights: null,
  };
  let finished: FinishedEvent = { type: 'finished', runId, status: 'completed', epochs: 0 };

  try {
    await emitAttention();
    let lastAttention = performance.now();
    training: for (epoch = 1; epoch <= hyperParams.epochs; epoch++) {
      const epochStart = performance.now();
      const rows = shuffleInPlace(trainRows, random).slice(0, rowsPerEpoch);
      let epochLoss = 0;
      let epochCorrect = 0;
      let epochCounted = 0;
      let windowLoss = 0;
      let windowSteps = 0;
      let windowSamples = 0;
      let windowStart = performance.now();
      for (let step = 1; step <= stepsPerEpoch; step++) {
        if (hooks.stopRequested()) {
          finished = { ...finished, status: 'stopped', reason: 'stopped by the user' };
          break training;
        }
        const batchRows = rows.slice((step - 1) * hyperParams.batchSize, step * hyperParams.batchSize);
        const batch = data.batch('train', batchRows);
        let counts: tf.Scalar[] = [];
        let loss: tf.Scalar | null = null;
        try {
          loss = optimizer.minimize(
            () => {
              const logits = model.apply(batch.inputs, { training: true }) as tf.Tensor; // [B, C] or [B, T, C]
              counts = correctCount(logits, batch.targets, data.sequenceOutput).map((t) => tf.keep(t));
              return taskLoss(logits, batch.targets, classes, data.sequenceOutput);
            },
            true,
            trainableVariables,
          );
          applyWeightDecay(decayed, hyperParams);
        } finally {
          tf.dispose([...batch.inputs, batch.targets]);
        }
        const lossValue = (await loss!.data())[0]!;
        const [correctValue, countedValue] = await Promise.all(counts.map(async (t) => (await t.data())[0]!));
        loss!.dispose();
        tf.dispose(counts);
        if (!Number.isFinite(lossValue)) {
          throw new Error(`the loss became ${lossValue} at epoch ${epoch}, step ${step}: lower the learning rate`);
        }
        globalStep++;
        epochLoss += lossValue * batchRows.length;
        epochCorrect += correctValue!;
        epochCounted += countedValue!;
        windowLoss += lossValue;
        windowSteps++;
        windowSamples += batchRows.length;
        hooks.afterStep?.(globalStep);

        const now = performance.now();
        if (now - windowStart >= progressInterval || step === stepsPerEpoch) {
          hooks.emit({
            type: 'progress',
            runId,
            epoch,
            step,
            globalStep,
            loss: windowLoss / windowSteps,
            samplesPerSecond: (windowSamples * 1000) / Math.max(1, now - windowStart),
          });
          windowLoss = 0;
          windowSteps = 0;
          windowSamples = 0;
          windowStart = now;
        }
        if (now - lastAttention >= attentionInterval) {
          await emitAttention();
          lastAttention = performance.now();
        }
        await yieldToEventLoop();
      }

      const validation = await evaluateSplit(model, data, 'validation', hyperParams.batchSize);
      hooks.emit({
        type: 'epoch',
        runId,
        epoch,
        loss: epochLoss / rows.length,
        accuracy: epochCorrect / Math.max(1, epochCounted),
        valLoss: validation.loss,
        valAccuracy: validation.accuracy,
        seconds: (performance.now() - epochStart) / 1000,
      });
      finished = { ...finished, epochs: epoch };
      await emitAttention();
      lastAttention = performance.now();

      if (hyperParams.earlyStoppingPatience > 0) {
        if (validation.loss < best.valLoss) {
          best.weights?.forEach((w) => w.dispose());
          best = { valLoss: validation.loss, epoch, weights: model.getWeights().map((w) => tf.keep(w.clone())) };
        } else if (epoch - best.epoch >= hyperParams.earlyStoppingPatience) {
          finished = { ...finished, reason: `early stopping: no better validation loss since epoch ${best.epoch}` };
          break;
        }
      }
    }
    if (best.weights) model.setWeights(best.weights);
    if (finished.status === 'completed' && data.counts.test > 0) {
      finished = { ...finished, test: await testMetrics(model, data, hyperParams.batchSize) };
    }
    if (options.onTrained) {
      try {
        await options.onTrained(model, { model: probe, attention });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        finished = { ...finished, status: 'failed', reason: `the model trained but could not be exported: ${message}` };
      }
    }
  } catch (error) {
    finished = { ...finished, status: 'failed', reason: error instanceof Error ? error.message : String(error) };
  } finally {
    best.weights?.forEach((w) => w.dispose());
    tf.dispose(sample.inputs);
    optimizer.dispose();
    model.dispose();
  }
  hooks.emit(finished);
  return finished;
}
