import type { Worker } from 'node:worker_threads';
import type { BackendReport } from '../../shared/backends';
import type { FinishedEvent, TrainEvent } from '../../shared/events';
import type { DecodedExample, Prediction } from '../../shared/prediction';
import type { RunPlan } from '../../shared/runPlan';
import type {
  SupervisorMessage,
  TrainingWorkerData,
  WorkerMessage,
  WorkerTask,
  WorkerTaskResult,
} from '../../shared/workerProtocol';

export type WorkerLauncher = (data: TrainingWorkerData) => Worker;

/** Questions to trained runs waiting for the worker at once; more are refused rather than queued without bound. */
export const MAX_PENDING_PREDICTIONS = 8;

/** A question or task the worker has not answered yet. */
interface PendingRequest {
  worker: Worker;
  resolve: (answer: never) => void;
  reject: (error: Error) => void;
}

/**
 * Owns the training worker from the main thread. The queue of runs lives here, not in the worker: the worker is
 * given one run at a time, so a queued run can be removed at once and survives the worker's death. When the worker
 * dies, or reports that its backend is broken, only the run it held fails, with the reason; the next run starts on
 * a new worker (on wasm: a native backend is not reliably loadable a second time in one process).
 */
export class TrainingSupervisor {
  private worker: Worker | null = null;
  private readonly queue: RunPlan[] = [];
  private active: RunPlan | null = null;
  /** Set by 'backend-lost': the worker is replaced as soon as its run's finished event is through. */
  private replaceAfterRun: string | null = null;
  private readonly listeners = new Set<(event: TrainEvent) => void>();
  private workerData: TrainingWorkerData;
  private closing = false;
  private readonly readyWaiters: ((backend: BackendReport | null) => void)[] = [];
  private readonly predictions = new Map<number, PendingRequest>();
  private nextRequestId = 1;
  backend: BackendReport | null = null;
  /** Why the worker last had to be restarted, for the status bar; null while nothing went wrong. */
  notice: string | null = null;

  constructor(
    private readonly launch: WorkerLauncher,
    workerData: TrainingWorkerData,
  ) {
    this.workerData = workerData;
  }

  onEvent(listener: (event: TrainEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Queues the run; it starts when the runs before it have finished. */
  start(plan: RunPlan): void {
    this.queue.push(plan);
    this.pump();
  }

  /**
   * A queued run is removed at once (its finished event says so); a running one is asked to stop after its current
   * step. False if the run is neither.
   */
  stop(runId: string): boolean {
    const queued = this.queue.findIndex((job) => job.runId === runId);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      this.dispatch({
        type: 'finished',
        runId,
        status: 'stopped',
        reason: 'removed from the queue before it started',
        epochs: 0,
      });
      return true;
    }
    if (this.active?.runId !== runId) return false;
    this.worker?.postMessage({ type: 'stop', runId } satisfies SupervisorMessage);
    return true;
  }

  /** Asks the running run to wait (pause) or go on (resume) between steps; false if it is not the running one. */
  setPaused(runId: string, paused: boolean): boolean {
    if (this.active?.runId !== runId) return false;
    this.worker?.postMessage({ type: paused ? 'pause' : 'resume', runId } satisfies SupervisorMessage);
    this.dispatch({ type: 'paused', runId, paused });
    return true;
  }

  /** Moves a queued run one place earlier (-1) or later (+1) in the queue; false if it is not queued there. */
  move(runId: string, offset: -1 | 1): boolean {
    const from = this.queue.findIndex((job) => job.runId === runId);
    const to = from + offset;
    if (from < 0 || to < 0 || to >= this.queue.length) return false;
    [this.queue[from], this.queue[to]] = [this.queue[to]!, this.queue[from]!];
    return true;
  }

  /** The queued runs' ids, next first. */
  queued(): string[] {
    return this.queue.map((job) => job.runId);
  }

  /**
   * Asks a trained run (by its plan) about one example. The worker answers between training steps when a run is
   * training; if the worker dies or is replaced first, the question fails with the reason.
   */
  predict(plan: RunPlan, example: DecodedExample, beamWidth: number, lengthPenalty: number): Promise<Prediction> {
    return this.request<Prediction>((requestId) => ({
      type: 'predict',
      requestId,
      plan,
      example,
      beamWidth,
      lengthPenalty,
    }));
  }

  /** Has the worker export a stored run or report on an imported one (see WorkerTask), as it answers questions. */
  runTask(task: WorkerTask): Promise<WorkerTaskResult> {
    return this.request<WorkerTaskResult>((requestId) => ({ type: 'task', requestId, task }));
  }

  private request<T>(message: (requestId: number) => SupervisorMessage): Promise<T> {
    if (this.predictions.size >= MAX_PENDING_PREDICTIONS) {
      return Promise.reject(
        new Error(
          `${MAX_PENDING_PREDICTIONS} questions are already waiting for the worker: ask again when they are answered`,
        ),
      );
    }
    const worker = this.ensureWorker();
    const requestId = this.nextRequestId++;
    return new Promise<T>((resolve, reject) => {
      this.predictions.set(requestId, { worker, resolve: resolve as (answer: never) => void, reject });
      worker.postMessage(message(requestId));
    });
  }

  /** Starts the worker now, so that its backend is known before the first run. */
  warmUp(): void {
    this.ensureWorker();
  }

  /** The backend, once the worker has loaded one (null if it could not load any). */
  whenReady(): Promise<BackendReport | null> {
    if (this.backend) return Promise.resolve(this.backend);
    this.ensureWorker();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  isActive(runId: string): boolean {
    return this.active?.runId === runId || this.queue.some((job) => job.runId === runId);
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.worker?.terminate();
    this.worker = null;
  }

  private pump(): void {
    if (this.active || this.closing) return;
    const next = this.queue.shift();
    if (!next) return;
    this.active = next;
    this.ensureWorker().postMessage({ type: 'start', plan: next } satisfies SupervisorMessage);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = this.launch(this.workerData);
    worker.on('message', (message: WorkerMessage) => this.receive(worker, message));
    worker.on('error', (error) => this.lose(worker, `the training worker crashed: ${error.message}`));
    worker.on('exit', (code) => this.lose(worker, `the training worker exited with code ${code}`));
    this.worker = worker;
    return worker;
  }

  private receive(worker: Worker, message: WorkerMessage): void {
    if (worker !== this.worker) return;
    if (message.type === 'ready') {
      this.backend = message.backend;
      this.settleReady(message.backend);
    } else if (message.type === 'fatal') {
      // No backend at all: nothing queued can train either.
      this.settleReady(null);
      for (const job of [this.active, ...this.queue.splice(0)]) if (job) this.fail(job.runId, message.message);
      this.active = null;
      // The next run tries a fresh worker rather than waiting on one that will never train.
      this.abandonPredictions(worker, message.message);
      this.worker = null;
      void worker.terminate();
    } else if (message.type === 'backend-lost') {
      this.replaceAfterRun = message.message;
    } else if (
      message.type === 'prediction' ||
      message.type === 'prediction-failed' ||
      message.type === 'task-done' ||
      message.type === 'task-failed'
    ) {
      const pending = this.predictions.get(message.requestId);
      this.predictions.delete(message.requestId);
      if (message.type === 'prediction') pending?.resolve(message.prediction as never);
      else if (message.type === 'task-done') pending?.resolve(message.result as never);
      else pending?.reject(new Error(message.message));
    } else {
      let event = message.event;
      if (event.type === 'finished' && this.replaceAfterRun) {
        event = {
          ...event,
          reason: `${event.reason ?? 'failed'}; the ${this.backend?.name ?? 'training'} backend was left broken, so the training worker was restarted`,
        };
      }
      this.dispatch(event);
      if (event.type === 'finished' && event.runId === this.active?.runId) {
        this.active = null;
        if (this.replaceAfterRun) this.replace(worker, this.replaceAfterRun);
        this.pump();
      }
    }
  }

  /** Fails the questions a worker will never answer. */
  private abandonPredictions(worker: Worker, reason: string): void {
    for (const [requestId, pending] of this.predictions) {
      if (pending.worker !== worker) continue;
      this.predictions.delete(requestId);
      pending.reject(new Error(reason));
    }
  }

  /** Retires a worker whose backend is broken; the next run starts a new one. */
  private replace(worker: Worker, reason: string): void {
    this.abandonPredictions(worker, `the training worker was restarted: ${reason}`);
    this.replaceAfterRun = null;
    this.worker = null;
    this.notice = `the ${this.backend?.name ?? 'training'} backend failed (${reason}); the training worker was restarted`;
    void worker.terminate();
  }

  private lose(worker: Worker, reason: string): void {
    this.abandonPredictions(worker, reason);
    if (this.worker !== worker) return;
    this.worker = null;
    if (this.closing) return;
    this.settleReady(null);
    if (this.active) this.fail(this.active.runId, reason);
    this.active = null;
    this.notice = reason;
    if (this.backend && this.backend.name.startsWith('tfjs-node')) {
      this.notice = `${reason}; training continues on wasm, restart the app to use ${this.backend.name} again`;
      this.workerData = { ...this.workerData, backend: 'wasm' };
    }
    this.pump();
  }

  private settleReady(backend: BackendReport | null): void {
    for (const resolve of this.readyWaiters.splice(0)) resolve(backend);
  }

  private fail(runId: string, reason: string): void {
    const finished: FinishedEvent = { type: 'finished', runId, status: 'failed', reason, epochs: 0 };
    this.dispatch(finished);
  }

  private dispatch(event: TrainEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
