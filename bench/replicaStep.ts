import * as tf from '@tensorflow/tfjs-core';
import { buildModel } from '../src/engine/models/buildModel';
import { exchangeLength } from '../src/engine/parallel/averagedStep';
import { createExchangeBuffer } from '../src/engine/parallel/gradientExchange';
import type { Preset } from '../src/shared/architecture/presets';
import { launchSourceWorker } from '../test/support/sourceWorker';
import { BENCH_CLASSES } from './presetStep';
import type { ReplicaStepData } from './replicaStepThread';

const THREAD = new URL('./replicaStepThread.ts', import.meta.url).href;

/**
 * The preset's Adam step at batch 32 on `replicas` data-parallel threads (the app's exchange and averaging), timed
 * over at least `minMs` after a warm-up: milliseconds a step, as presetStep.ts times one thread, and of them the
 * milliseconds in the all-reduce.
 */
export async function timeReplicaStep(preset: Preset, backend: string, replicas: number, minMs: number) {
  const vocabSizes = Object.fromEntries(preset.spec.inputs.map((i) => [i.id, i.kind === 'tokens' ? i.vocabSize : 0]));
  const { model } = buildModel(preset.spec, { vocabSizes, classes: BENCH_CLASSES, dropout: 0.1 });
  const length = exchangeLength(model.trainableWeights.map((w) => w.read() as tf.Variable));
  model.dispose();
  const buffer = createExchangeBuffer({ replicas, length });
  const results = await Promise.all(
    Array.from({ length: replicas }, (_, rank) => {
      const data: ReplicaStepData = { presetId: preset.id, backend, rank, replicas, buffer, length, minMs };
      const worker = launchSourceWorker(data, THREAD);
      return new Promise<{ msPerStep: number; allReduceMs: number }>((resolve, reject) => {
        worker.once('message', (result) => void worker.terminate().then(() => resolve(result)));
        worker.once('error', reject);
      });
    }),
  );
  // Replica 0's view: its step, and the part of it in the all-reduce (the wait for the slowest replica included).
  return results[0]!;
}
