import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../src/engine/backend';
import { withSeededInitialization } from '../src/engine/models/seededInitialization';
import { averageOverReplicas } from '../src/engine/parallel/averagedStep';
import { GradientExchange } from '../src/engine/parallel/gradientExchange';
import { taskLoss } from '../src/engine/train/losses';
import { createOptimizer } from '../src/engine/train/optimizer';
import { findPreset } from '../src/shared/architecture/presets';
import { hyperParamsSchema } from '../src/shared/hyperParams';
import { BENCH_BATCH, BENCH_CLASSES, benchModelAndBatch } from './presetStep';

/** What each replica thread of the bench is given. */
export interface ReplicaStepData {
  presetId: string;
  backend: string;
  rank: number;
  replicas: number;
  buffer: SharedArrayBuffer;
  length: number;
  minMs: number;
}

// One replica of bench/replicaStep.ts: the preset's Adam step on its share of batch 32 (random inputs, as
// presetStep.ts), gradients averaged through the exchange as the app's replicaStep does. Replica 0 ends the warm-up
// and the timing by a vote that every replica sees at the same step, and posts the milliseconds a step.
const input = workerData as ReplicaStepData;
await selectBackend(input.backend);
const preset = findPreset(input.presetId)!;
const share =
  Math.floor(((input.rank + 1) * BENCH_BATCH) / input.replicas) -
  Math.floor((input.rank * BENCH_BATCH) / input.replicas);
// Every replica starts from the same weights, as the app's replicas do (each builds the model under the run's seed).
const { model, inputs, targets, sequence } = withSeededInitialization(1, () => benchModelAndBatch(preset, share));
const optimizer = createOptimizer(hyperParamsSchema.parse({ optimizer: 'adam', learningRate: 1e-3 }));
const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
const exchange = new GradientExchange(input.buffer, { replicas: input.replicas, length: input.length }, input.rank);

/** Time in the all-reduce (copying the gradients in, waiting for the others, summing) since the timing began. */
let allReduceMs = 0;

/** One step; true when replica 0 voted that the phase ends with it. */
function step(vote: boolean): boolean {
  const { value, grads } = tf.variableGrads(
    () => taskLoss(model.apply(inputs, { training: true }) as tf.Tensor, targets, BENCH_CLASSES, sequence),
    variables,
  );
  const [correct, counted] = [tf.scalar(0), tf.scalar(share)];
  const reduceStart = performance.now();
  const averaged = averageOverReplicas(exchange, variables, { grads, loss: value, correct, counted }, vote);
  allReduceMs += performance.now() - reduceStart;
  optimizer.applyGradients(averaged.grads);
  tf.dispose([value, correct, counted, averaged.loss, averaged.correct, averaged.counted]);
  tf.dispose(Object.values(grads));
  tf.dispose(Object.values(averaged.grads));
  return averaged.stop;
}

const lead = input.rank === 0;
// Warm-up: two steps and half a second, as presetStep.ts gives one thread.
const warmUntil = performance.now() + 500;
for (let i = 0; !step(lead && i >= 2 && performance.now() > warmUntil); i++);
const start = performance.now();
allReduceMs = 0;
let steps = 0;
for (;;) {
  steps++;
  if (step(lead && steps >= 8 && performance.now() - start >= input.minMs)) break;
}
parentPort!.postMessage({ msPerStep: (performance.now() - start) / steps, allReduceMs: allReduceMs / steps });
