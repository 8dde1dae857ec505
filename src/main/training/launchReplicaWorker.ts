import { Worker } from 'node:worker_threads';
import type { ReplicaWorkerData } from './replicaProtocol';

export type ReplicaLauncher = (data: ReplicaWorkerData) => Worker;

/** Running from TypeScript source (the CLI and the tests, under tsx) rather than from the build. */
const fromSource = import.meta.url.endsWith('.ts');

/**
 * Starts replica threads. The built app runs `builtEntry` (replicaWorker.js, an entry of the main build, passed by
 * the entry that launches it: in a shared chunk this module's own import.meta.url points elsewhere). From source it
 * runs replicaWorker.ts beside this file, registering tsx in the new thread first: Node does not apply --import
 * hooks to a worker's entry file.
 */
export function replicaLauncher(builtEntry?: URL): ReplicaLauncher {
  if (fromSource) {
    const source = import.meta.url.replace(/[^/]*$/, 'replicaWorker.ts');
    const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); })`;
    return (data) => new Worker(bootstrap, { eval: true, workerData: data });
  }
  if (!builtEntry) throw new Error('the replica worker was not built beside this entry');
  return (data) => new Worker(builtEntry, { workerData: data });
}
