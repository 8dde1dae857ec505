import { Worker } from 'node:worker_threads';
import type { TrainingWorkerData } from '../../src/shared/workerProtocol';

const WORKER_SOURCE = new URL('../../src/main/training/trainingWorker.ts', import.meta.url).href;

/**
 * Starts the training worker (or another worker entry, `source`) from its TypeScript source: a tiny bootstrap registers tsx in the new thread, then
 * imports the worker (Node 20 does not apply --import hooks to a worker's entry file).
 */
export function launchSourceWorker(data: TrainingWorkerData | object, source = WORKER_SOURCE): Worker {
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(bootstrap, { eval: true, workerData: data });
}
