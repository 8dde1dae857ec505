import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { FinishedEvent, StartedEvent } from '../../shared/events';
import { epochShuffleSeed, seededRandom, shuffleInPlace } from '../data/split/seededRandom';
import { buildModel, type AttentionLayerInfo } from '../models/buildModel';
import { withSeededInitialization } from '../models/seededInitialization';
import { attentionSnapshots } from './attentionSnapshot';
import { bestWeightsOfEpoch, loadMatchingWeights, restoreCheckpoint } from './checkpoints';
import { evaluateRows, evaluateSplit, type Evaluation } from './evaluate';
import { averageRunningStatistics, combineMeans } from '../parallel/replicaAgreement';
import { freezeBlocks } from './freezeBlocks';
import { attentionMonitor } from './monitors/attentionMonitor';
import { checkpointMonitor } from './monitors/checkpointMonitor';
import { earlyStopping } from './monitors/earlyStopping';
import { epochMonitor } from './monitors/epochMonitor';
import { learningRateSchedule } from './monitors/learningRateSchedule';
import { nanGuard } from './monitors/nanGuard';
import { progressMonitor } from './monitors/progressMonitor';
import { StepWindow } from './monitors/stepWindow';
import type { TrainingMonitor } from './monitors/trainingMonitor';
import { createOptimizer, decayedWeights, setLearningRate } from './optimizer';
import { testMetrics } from './testMetrics';
import type { TrainingHooks, TrainingOptions } from './trainingOptions';
import { trainingStep, type StepContext } from './trainingStep';
import { exchangeLength } from '../parallel/averagedStep';
import { seedDropout, unseedDropout } from '../layers/dropoutSeeds';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** Lets queued messages (a stop or pause request) in between two steps. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * One run's model, optimizer, monitors and position, with the moves trainModel's loop makes: what happens at a step,
 * at the end of an epoch and at the end of the run. Everything besides the step itself is a monitor (monitors/).
 */
export class TrainingRun {
  readonly model: LayersModel;
  private readonly probe: { model: LayersModel; attention: AttentionLayerInfo[] };
  private readonly optimizer: tf.Optimizer;
  private readonly context: StepContext;
  private readonly monitors: TrainingMonitor[];
  private readonly window: StepWindow;
  private readonly snapshots: ReturnType<typeof attentionSnapshots>;
  private readonly trainRows: number[];
  private readonly rowsPerEpoch: number;
  readonly stepsPerEpoch: number;
  /** What the run has come to so far; the last event it emits. */
  finished: FinishedEvent;
  readonly state: { runId: string; epoch: number; step: number; globalStep: number } & Pick<
    TrainingRun,
    'stepsPerEpoch' | 'model'
  > & { emit: TrainingHooks['emit'] };
  private epochStart = 0;
  /** The rows of the batch under way, before it is shared among replicas. */
  private batchRows = 0;

  constructor(
    private readonly options: TrainingOptions,
    private readonly hooks: TrainingHooks,
  ) {
    const { runId, hyperParams, data } = options;
    const built = withSeededInitialization(hyperParams.seed, () =>
      buildModel(options.spec, {
        vocabSizes: data.vocabSizes,
        classes: data.classNames.length,
        dropout: hyperParams.dropout,
      }),
    );
    this.model = built.model;
    this.probe = { model: built.probe, attention: built.attention };
    if (options.initialWeights) loadMatchingWeights(options.initialWeights, this.model);
    freezeBlocks(this.model, hyperParams.freeze);
    this.optimizer = createOptimizer(hyperParams);
    this.context = {
      model: this.model,
      optimizer: this.optimizer,
      variables: this.model.trainableWeights.map((w) => w.read() as tf.Variable),
      decayed: decayedWeights(this.model.trainableWeights),
      hyperParams,
      data,
      learningRate: hyperParams.learningRate,
    };
    this.trainRows = Array.from({ length: data.counts.train }, (_, i) => i);
    this.rowsPerEpoch =
      hyperParams.maxTrainExamples > 0 ? Math.min(hyperParams.maxTrainExamples, data.counts.train) : data.counts.train;
    this.stepsPerEpoch = Math.ceil(this.rowsPerEpoch / hyperParams.batchSize);
    this.snapshots = attentionSnapshots(runId, options.spec, data, built.probe, built.attention, this.model);
    const resumed = options.resumeFrom;
    this.finished = { type: 'finished', runId, status: 'completed', epochs: resumed?.epoch ?? 0 };
    // Before the checkpoints, which save its position; restored from the checkpoint a resumed run starts from.
    const stopping =
      hyperParams.earlyStoppingPatience > 0
        ? earlyStopping(
            hyperParams,
            (reason) => (this.finished = { ...this.finished, reason }),
            resumed?.earlyStopping
              ? {
                  position: resumed.earlyStopping,
                  bestWeights: () => bestWeightsOfEpoch(options.artifacts, runId, resumed.earlyStopping!.epoch),
                }
              : undefined,
          )
        : null;
    this.monitors = [
      nanGuard(),
      progressMonitor(),
      epochMonitor(),
      attentionMonitor(this.snapshots.read, options.attentionIntervalMs ?? 1000),
      learningRateSchedule(hyperParams, this.stepsPerEpoch, (rate) => {
        this.context.learningRate = rate;
        setLearningRate(this.optimizer, rate);
      }),
      ...(stopping ? [stopping] : []),
      ...(options.artifacts && hyperParams.checkpointEvery > 0
        ? [
            checkpointMonitor(
              options.artifacts,
              runId,
              hyperParams.checkpointEvery,
              hyperParams.epochs,
              this.optimizer,
              () => stopping?.position() ?? null,
            ),
          ]
        : []),
    ];
    this.window = new StepWindow(options.progressIntervalMs ?? 200);
    this.state = {
      runId,
      epoch: 0,
      step: 0,
      globalStep: resumed?.globalStep ?? 0,
      stepsPerEpoch: this.stepsPerEpoch,
      model: this.model,
      emit: hooks.emit,
    };
  }

  started(): StartedEvent {
    const { options } = this;
    const resumed = options.resumeFrom;
    return {
      type: 'started',
      runId: options.runId,
      backend: options.backend,
      datasetId: options.datasetId,
      presetId: options.presetId,
      modelName: options.spec.name,
      hyperParams: options.hyperParams,
      parameterCount: this.model.countParams(),
      classNames: options.data.classNames,
      split: { ...options.data.counts },
      stepsPerEpoch: this.stepsPerEpoch,
      ...(resumed ? { resumedFrom: { epoch: resumed.epoch, globalStep: resumed.globalStep } } : {}),
      ...(resumed?.notice ? { notice: resumed.notice } : {}),
    };
  }

  /** Restores the checkpoint resumed from and starts the monitors. */
  async begin(): Promise<void> {
    const { replica } = this.options;
    if (replica) this.context.exchange = await replica.connect(exchangeLength(this.context.variables));
    if (this.options.resumeFrom) await restoreCheckpoint(this.options.resumeFrom, this.model, this.optimizer);
    for (const monitor of this.monitors) await monitor.start?.(this.state);
  }

  /** The epochs still to train: after the one resumed from, up to the recipe's last. */
  *epochs(): Generator<number> {
    const last = this.options.hyperParams.epochs;
    for (this.state.epoch = (this.options.resumeFrom?.epoch ?? 0) + 1; this.state.epoch <= last; this.state.epoch++) {
      this.epochStart = performance.now();
      yield this.state.epoch;
    }
  }

  /**
   * The epoch's batches of training rows. Each epoch's order comes from the seed and the epoch alone, so a resumed run
   * sees the batches it would have seen, at no cost for the epochs it skips.
   */
  *batches(epoch: number): Generator<number[]> {
    const { seed, batchSize } = this.options.hyperParams;
    const random = seededRandom(epochShuffleSeed(seed, epoch));
    const { data } = this.options;
    // Data on disk are shuffled shard by shard, so that each shard is read once, front to back, per epoch.
    const order = data.trainingOrder ? data.trainingOrder(random) : shuffleInPlace([...this.trainRows], random);
    const rows = order.slice(0, this.rowsPerEpoch);
    const { rank, replicas } = this.options.replica ?? { rank: 0, replicas: 1 };
    // This replica's share of a step's batch: near-equal contiguous parts, empty ones where the batch has fewer rows.
    const share = (step: number) => {
      const batch = rows.slice((step - 1) * batchSize, step * batchSize);
      return {
        size: batch.length,
        rows: batch.slice(
          Math.floor((rank * batch.length) / replicas),
          Math.floor(((rank + 1) * batch.length) / replicas),
        ),
      };
    };
    for (this.state.step = 1; this.state.step <= this.stepsPerEpoch; this.state.step++) {
      const batch = share(this.state.step);
      this.batchRows = batch.size;
      // The next batch is read from disk while this one trains (data in memory have no fetch).
      if (data.fetch && this.state.step < this.stepsPerEpoch)
        data.fetch('train', share(this.state.step + 1).rows).catch(() => undefined);
      yield batch.rows;
    }
  }

  /**
   * Waits while paused; true when the user asked to stop (the run then ends 'stopped'). Replicas stop together: the
   * request (asked of replica 0) travels with the next step's gradients, and every replica stops after that step.
   */
  async stopRequested(): Promise<boolean> {
    while (this.hooks.paused?.() && !this.hooks.stopRequested()) await sleep(100);
    const { context } = this;
    if (context.exchange) {
      context.stopVote = this.hooks.stopRequested();
      if (!context.stopAgreed) return false;
    } else if (!this.hooks.stopRequested()) return false;
    this.finished = { ...this.finished, status: 'stopped', reason: 'stopped by the user' };
    return true;
  }

  /** One optimizer step on `rows`, with every monitor before and after it. */
  async step(rows: number[]): Promise<void> {
    const { state, monitors } = this;
    for (const monitor of monitors) monitor.beforeStep?.(state);
    // Dropout's masks from the run's seed (and replica) and the step: the same seed trains the same run.
    const rank = this.options.replica?.rank ?? 0;
    const seed = this.options.hyperParams.seed ^ Math.imul(rank, 0x27d4eb2d);
    seedDropout(seed, state.globalStep + 1);
    // Image shifts likewise: the same seed and step shift the same images the same way, resumed or not.
    const { augmentShift } = this.options.hyperParams;
    this.context.augment =
      augmentShift > 0
        ? { shift: augmentShift, seed: (seed ^ Math.imul(state.globalStep + 1, 0x9e3779b1)) >>> 0 }
        : undefined;
    // Started when the previous batch was handed out: by now usually in, and then this waits for nothing.
    await this.options.data.fetch?.('train', rows);
    let tensors: ReturnType<typeof trainingStep>;
    try {
      tensors = trainingStep(this.context, rows);
    } finally {
      unseedDropout();
    }
    state.globalStep++;
    const position = { epoch: state.epoch, step: state.step, globalStep: state.globalStep };
    // The whole batch's examples, every replica's share together.
    const samples = this.batchRows;
    this.window.add({ ...position, samples, learningRate: this.context.learningRate }, tensors);
    if (this.window.due(state.step === this.stepsPerEpoch)) {
      const { steps, windowMs } = await this.window.read();
      for (const monitor of monitors) monitor.afterRead?.(state, steps, windowMs);
    }
    this.hooks.afterStep?.(state.globalStep);
    for (const monitor of monitors) await monitor.afterStep?.(state);
    await yieldToEventLoop();
  }

  /** Validates the epoch and hands it to the monitors; 'stop' when one of them ends the run (early stopping). */
  async endEpoch(): Promise<'stop' | 'continue'> {
    const { state } = this;
    const validation = await this.validate();
    this.finished = { ...this.finished, epochs: state.epoch };
    const record = { epoch: state.epoch, validation, seconds: (performance.now() - this.epochStart) / 1000 };
    let stop = false;
    for (const monitor of this.monitors) stop = (await monitor.afterEpoch?.(state, record)) === 'stop' || stop;
    return stop ? 'stop' : 'continue';
  }

  /**
   * The validation split's loss and accuracy. Replicas each measure their part and combine them, with batch norm's
   * running statistics first made the same in all: every replica gets the same figures and makes the same
   * early-stopping decision, and the split is measured N times faster.
   */
  private async validate(): Promise<Evaluation> {
    const { model, options, context } = this;
    const { batchSize } = options.hyperParams;
    if (!context.exchange) return evaluateSplit(model, options.data, 'validation', batchSize);
    averageRunningStatistics(context.exchange, model);
    const count = options.data.counts.validation;
    const { rank, replicas } = options.replica!;
    const part = { start: Math.floor((rank * count) / replicas), end: Math.floor(((rank + 1) * count) / replicas) };
    const own = await evaluateRows(model, options.data, 'validation', part, batchSize);
    const all = combineMeans(context.exchange, { mean: [own.loss, own.accuracy], counted: own.counted });
    return all.counted > 0
      ? { loss: all.mean[0]!, accuracy: all.mean[1]! }
      : { loss: Number.NaN, accuracy: Number.NaN };
  }

  /** The end of a run that did not fail: the best weights back, the test split measured, the model handed on. */
  async finish(): Promise<void> {
    const { options } = this;
    // A run stopped within an epoch: the replicas' running statistics made one before the model is kept.
    if (this.context.exchange) averageRunningStatistics(this.context.exchange, this.model);
    for (const monitor of this.monitors) monitor.finish?.(this.state);
    // Only replica 0 reports the test figures (the others' would be the same).
    const reports = (options.replica?.rank ?? 0) === 0;
    if (this.finished.status === 'completed' && options.data.counts.test > 0 && reports) {
      this.finished = {
        ...this.finished,
        test: await testMetrics(this.model, options.data, options.hyperParams.batchSize),
      };
    }
    if (!options.onTrained) return;
    try {
      await options.onTrained(this.model, this.probe, {
        epoch: this.finished.epochs,
        globalStep: this.state.globalStep,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const reason = `the model trained but could not be evaluated or exported: ${message}`;
      this.finished = { ...this.finished, status: 'failed', reason };
    }
  }

  fail(error: unknown): void {
    for (const monitor of this.monitors) monitor.finish?.(this.state);
    const reason = error instanceof Error ? error.message : String(error);
    this.finished = { ...this.finished, status: 'failed', reason };
  }

  dispose(): void {
    this.window.dispose();
    this.snapshots.dispose();
    this.optimizer.dispose();
    this.model.dispose();
  }
}
