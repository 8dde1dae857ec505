import type { Worker } from 'node:worker_threads';
import { abortExchange } from '../../engine/parallel/gradientExchange';
import type { FinishedEvent, TrainEvent } from '../../shared/events';
import type { RunPlan } from '../../shared/runPlan';
import { REPLICA_PAUSE, REPLICA_STOP, type ReplicaMessage, type ReplicaWorkerData } from './replicaProtocol';

export interface ReplicaRunOptions {
  plan: RunPlan;
  replicas: number;
  /** Every replica's thread: the built replicaWorker.js, or its source under tsx in tests. */
  launch: (data: ReplicaWorkerData) => Worker;
  shared: Omit<ReplicaWorkerData, 'rank' | 'replicas' | 'plan' | 'flags'>;
  emit(event: TrainEvent): void;
  stopRequested(): boolean;
  paused?(): boolean;
}

/** How often the coordinator copies stop and pause into the flags replica 0 reads between steps. */
const FLAG_INTERVAL_MS = 50;

/**
 * One run trained by `replicas` threads, data-parallel (src/engine/parallel): the coordinator starts them, relays
 * replica 0's events, passes replica 0's exchange to the others, and turns the user's stop and pause into shared
 * flags. A replica that throws or dies fails the run, naming it and its reason: the exchange is aborted, so no
 * replica waits for it, and every thread is ended before this returns. Resolves with the run's finished event.
 */
export function trainWithReplicas(options: ReplicaRunOptions): Promise<FinishedEvent> {
  const { plan, replicas } = options;
  const flagsBuffer = new SharedArrayBuffer(8);
  const flags = new Int32Array(flagsBuffer);
  let exchange: SharedArrayBuffer | null = null;
  let failure: string | null = null;
  let settled = false;
  // A replica whose run has ended may leave its thread: that is not a failure.
  const done = new Set<number>();

  return new Promise<FinishedEvent>((resolve) => {
    const workers: Worker[] = [];
    const finish = (finished: FinishedEvent) => {
      if (settled) return;
      settled = true;
      clearInterval(flagTimer);
      // Replicas still waiting at the exchange (replica 0 stopped, or one died) are let go, then ended.
      if (exchange) abortExchange(exchange);
      void Promise.all(workers.map((w) => w.terminate())).then(() => resolve(finished));
    };
    const fail = (rank: number, reason: string) => {
      failure ??= `replica ${rank} of ${replicas} failed: ${reason}`;
      if (exchange) abortExchange(exchange);
      // Replica 0 ends its run through the exchange's error; if replica 0 itself is gone, the run ends here.
      if (rank === 0) finish({ type: 'finished', runId: plan.runId, status: 'failed', reason: failure, epochs: 0 });
    };
    /** Replica 0's exchange, passed on to the others (at once aborted if one has already failed). */
    const shareExchange = (buffer: SharedArrayBuffer) => {
      exchange = buffer;
      if (failure) abortExchange(buffer);
      for (const other of workers.slice(1)) other.postMessage({ type: 'exchange', buffer });
    };
    const flagTimer = setInterval(() => {
      Atomics.store(flags, REPLICA_STOP, options.stopRequested() ? 1 : 0);
      Atomics.store(flags, REPLICA_PAUSE, options.paused?.() ? 1 : 0);
    }, FLAG_INTERVAL_MS);

    for (let rank = 0; rank < replicas; rank++) {
      const worker = options.launch({ ...options.shared, rank, replicas, plan, flags: flagsBuffer });
      workers.push(worker);
      worker.on('message', (message: ReplicaMessage) => {
        if (message.type === 'exchange') return shareExchange(message.buffer);
        if (message.type === 'event') return rank === 0 ? options.emit(message.event) : undefined;
        done.add(rank);
        const finished = message.finished as FinishedEvent;
        if (rank === 0) finish(failure && finished.status === 'failed' ? { ...finished, reason: failure } : finished);
        else if (finished.status === 'failed' && !settled) fail(rank, finished.reason ?? 'it failed');
      });
      worker.on('error', (error) => fail(rank, error.message));
      worker.on('exit', (code) => {
        if (!settled && !done.has(rank)) fail(rank, `its thread ended (exit code ${code})`);
      });
    }
  });
}
