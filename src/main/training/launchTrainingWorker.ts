import { Worker } from 'node:worker_threads';
import type { TrainingWorkerData } from '../../shared/workerProtocol';
import type { WorkerLauncher } from './trainingSupervisor';

/**
 * A launcher for the built worker. Each entry passes `new URL('./trainingWorker.js', import.meta.url)` itself:
 * code shared between entries is emitted into a chunk folder, where its own import.meta.url points elsewhere.
 */
export function workerLauncher(workerUrl: URL): WorkerLauncher {
  return (data: TrainingWorkerData) => new Worker(workerUrl, { workerData: data });
}
