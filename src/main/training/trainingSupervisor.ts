import type { Worker } from 'node:worker_threads';
import type { BackendReport } from '../../shared/backends';
import type { TrainEvent } from '../../shared/events';
import type { TrainStartRequest } from '../../shared/ipc';
import type { SupervisorMessage, TrainingWorkerData, WorkerMessage } from '../../shared/workerProtocol';

export type WorkerLauncher = (data: TrainingWorkerData) => Worker;

/**
 * Owns the training worker from the main thread: sends it runs, relays its events, and when it dies ends every run
 * it held as failed with the reason, then starts a new one (on wasm: a native backend is not reliably loadable a
 * second time in one process).
 */
export class TrainingSupervisor {
  private worker: Worker | null = null;
  private readonly pending = new Set<string>();
  private readonly listeners = new Set<(event: TrainEvent) => void>();
  private workerData: TrainingWorkerData;
  private closing = false;
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

  start(runId: string, request: TrainStartRequest): void {
    this.pending.add(runId);
    this.send({ type: 'start', runId, request });
  }

  /** Asks the run to stop after its current step; false if the run is not in this supervisor's hands. */
  stop(runId: string): boolean {
    if (!this.pending.has(runId)) return false;
    this.send({ type: 'stop', runId });
    return true;
  }

  /** Starts the worker now, so that its backend is known before the first run. */
  warmUp(): void {
    this.ensureWorker();
  }

  isActive(runId: string): boolean {
    return this.pending.has(runId);
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.worker?.terminate();
    this.worker = null;
  }

  private send(message: SupervisorMessage): void {
    this.ensureWorker().postMessage(message);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = this.launch(this.workerData);
    worker.on('message', (message: WorkerMessage) => this.receive(message));
    worker.on('error', (error) => this.lose(worker, `the training worker crashed: ${error.message}`));
    worker.on('exit', (code) => this.lose(worker, `the training worker exited with code ${code}`));
    this.worker = worker;
    return worker;
  }

  private receive(message: WorkerMessage): void {
    if (message.type === 'ready') {
      this.backend = message.backend;
    } else if (message.type === 'fatal') {
      this.failAll(message.message);
    } else {
      if (message.event.type === 'finished') this.pending.delete(message.event.runId);
      this.dispatch(message.event);
    }
  }

  private lose(worker: Worker, reason: string): void {
    if (this.worker !== worker) return;
    this.worker = null;
    if (this.closing) return;
    this.failAll(reason);
    this.notice = reason;
    if (this.backend && this.backend.name.startsWith('tfjs-node')) {
      this.notice = `${reason}; training continues on wasm, restart the app to use ${this.backend.name} again`;
      this.workerData = { ...this.workerData, backend: 'wasm' };
    }
  }

  private failAll(reason: string): void {
    for (const runId of [...this.pending]) {
      this.pending.delete(runId);
      this.dispatch({ type: 'finished', runId, status: 'failed', reason, epochs: 0 });
    }
  }

  private dispatch(event: TrainEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
