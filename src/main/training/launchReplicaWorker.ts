import type { Worker } from 'node:worker_threads';
import { threadLauncher } from '../../engine/io/threadLauncher';
import type { ReplicaWorkerData } from './replicaProtocol';

export type ReplicaLauncher = (data: ReplicaWorkerData) => Worker;

/** Starts replica threads: the built replicaWorker.js (`builtEntry`), or replicaWorker.ts under tsx from source. */
export function replicaLauncher(builtEntry?: URL): ReplicaLauncher {
  const launch = threadLauncher(import.meta.url, 'replicaWorker.ts', builtEntry);
  return (data) => launch({ workerData: data });
}
