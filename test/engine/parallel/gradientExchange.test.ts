import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { abortExchange, createExchangeBuffer, GradientExchange } from '../../../src/engine/parallel/gradientExchange';

/** A replica thread in plain JavaScript that sends `steps` vectors through the exchange and posts the means. */
const REPLICA = `
const { parentPort, workerData } = require('node:worker_threads');
const { buffer, replicas, length, rank, steps } = workerData;
import(workerData.module).then(({ GradientExchange }) => {
  const exchange = new GradientExchange(buffer, { replicas, length }, rank);
  const means = [];
  try {
    for (let step = 0; step < steps; step++) {
      const values = Float32Array.from({ length }, (_, j) => rank * 10 + step + j);
      const { mean, totalWeight } = exchange.allReduceMean(values, rank + 1);
      means.push([...mean, totalWeight]);
    }
    parentPort.postMessage({ means });
  } catch (error) {
    parentPort.postMessage({ error: error.message });
  }
});`;

function replica(workerData: object): Promise<{ means?: number[][]; error?: string }> {
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); ${REPLICA} })`;
  const worker = new Worker(boot, { eval: true, workerData });
  return new Promise((resolve, reject) => {
    worker.once('message', (result) => void worker.terminate().then(() => resolve(result)));
    worker.once('error', reject);
  });
}

const MODULE = new URL('../../../src/engine/parallel/gradientExchange.ts', import.meta.url).href;

describe('the gradient exchange', () => {
  it('gives three threads the same weighted mean, step after step (double-buffered slots)', async () => {
    const [replicas, length, steps] = [3, 5, 12];
    const buffer = createExchangeBuffer({ replicas, length });
    const results = await Promise.all(
      [0, 1, 2].map((rank) => replica({ buffer, replicas, length, rank, steps, module: MODULE })),
    );
    for (let step = 0; step < steps; step++) {
      // weights 1, 2, 3 on values rank * 10 + step + j: the mean is (0 * 1 + 10 * 2 + 20 * 3) / 6 + step + j.
      const expected = [...Array.from({ length }, (_, j) => 80 / 6 + step + j), 6];
      for (const result of results) {
        expect(result.error).toBeUndefined();
        result.means![step]!.forEach((value, j) => expect(value).toBeCloseTo(expected[j]!, 4));
      }
    }
  });

  it('a replica waiting for one that died gives up with a reason once the exchange is aborted', async () => {
    const buffer = createExchangeBuffer({ replicas: 2, length: 3 });
    // Only rank 0 runs: it waits at the barrier for rank 1, which never comes.
    const waiting = replica({ buffer, replicas: 2, length: 3, rank: 0, steps: 1, module: MODULE });
    await new Promise((resolve) => setTimeout(resolve, 300));
    abortExchange(buffer);
    expect((await waiting).error).toMatch(/a replica stopped/);
  });

  it('refuses a rank or a buffer that does not fit', () => {
    const buffer = createExchangeBuffer({ replicas: 2, length: 3 });
    expect(() => new GradientExchange(buffer, { replicas: 2, length: 3 }, 2)).toThrow(/rank 2/);
    expect(() => new GradientExchange(buffer, { replicas: 2, length: 4 }, 0)).toThrow(/another shape/);
    expect(() => createExchangeBuffer({ replicas: 0, length: 3 })).toThrow(/replicas/);
  });
});
