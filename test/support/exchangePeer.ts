import { Worker } from 'node:worker_threads';

/**
 * A replica thread in plain JavaScript that sends `steps` vectors through the exchange and posts the means and the
 * votes: at step s rank r sends r * 10 + s + j at j, weighted r + 1, and votes at step `voteAt` if it is rank 0.
 */
const PEER = `
const { parentPort, workerData } = require('node:worker_threads');
const { buffer, replicas, length, rank, steps, voteAt } = workerData;
import(workerData.module).then(({ GradientExchange }) => {
  const exchange = new GradientExchange(buffer, { replicas, length }, rank);
  const means = [];
  const votes = [];
  try {
    for (let step = 0; step < steps; step++) {
      const values = Float32Array.from({ length }, (_, j) => rank * 10 + step + j);
      const { mean, totalWeight, vote } = exchange.allReduceMean(values, rank + 1, rank === 0 && step === voteAt);
      means.push([...mean, totalWeight]);
      votes.push(vote);
    }
    parentPort.postMessage({ means, votes });
  } catch (error) {
    parentPort.postMessage({ error: error.message });
  }
});`;

const MODULE = new URL('../../src/engine/parallel/gradientExchange.ts', import.meta.url).href;

export interface PeerData {
  buffer: SharedArrayBuffer;
  replicas: number;
  length: number;
  rank: number;
  steps: number;
  voteAt?: number;
}

export function exchangePeer(data: PeerData): Promise<{ means?: number[][]; votes?: boolean[]; error?: string }> {
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); ${PEER} })`;
  const worker = new Worker(boot, { eval: true, workerData: { ...data, module: MODULE } });
  return new Promise((resolve, reject) => {
    worker.once('message', (result) => void worker.terminate().then(() => resolve(result)));
    worker.once('error', reject);
  });
}
