import type { TrainEvent } from '../../shared/events';
import type { RunPlan } from '../../shared/runPlan';

/** What a replica thread of data-parallel training is started with. */
export interface ReplicaWorkerData {
  rank: number;
  replicas: number;
  plan: RunPlan;
  /** The coordinator's backend, which every replica must use too. */
  backend: string;
  cacheDir: string;
  datasetsDir: string;
  /** The run store: replica 0 writes the run's checkpoints there, every replica reads the one it resumes from. */
  runsDir?: string;
  /** Where replica 0 writes the trained model (the CLI's --export). */
  exportDir?: string;
  /** Int32 flags the coordinator sets and replica 0 reads between steps: REPLICA_STOP and REPLICA_PAUSE. */
  flags: SharedArrayBuffer;
  /** Replica 0's monitoring intervals (the others report nothing). */
  attentionIntervalMs?: number;
  progressIntervalMs?: number;
}

export const REPLICA_STOP = 0;
export const REPLICA_PAUSE = 1;

/** Replica to coordinator: the exchange replica 0 made, replica 0's events, and each replica's end. */
export type ReplicaMessage =
  | { type: 'exchange'; buffer: SharedArrayBuffer }
  | { type: 'event'; event: TrainEvent }
  | { type: 'done'; finished: TrainEvent & { type: 'finished' } };

/** Coordinator to replicas 1..N-1: the exchange to join. */
export interface JoinExchangeMessage {
  type: 'exchange';
  buffer: SharedArrayBuffer;
}
