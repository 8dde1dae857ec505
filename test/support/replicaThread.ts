import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../src/engine/backend';
import { GradientExchange } from '../../src/engine/parallel/gradientExchange';
import { trainModel } from '../../src/engine/train/trainModel';
import { replicaTrainingOptions, type ReplicaTestData } from './replicaTraining';

// One replica of the data-parallel test, in its own worker thread: the same run as the others on its share of every
// batch. Posts its step losses and final weights.
const input = workerData as ReplicaTestData;
const backend = await selectBackend('wasm');
const exchange = new GradientExchange(input.buffer, { replicas: input.replicas, length: input.length }, input.rank);
const losses: number[] = [];
const validation: number[] = [];
const tensorsAt: number[] = [];
let weights: Float32Array[] = [];
const finished = await trainModel(
  {
    ...replicaTrainingOptions(backend, input.hyperParams),
    replica: { rank: input.rank, replicas: input.replicas, connect: async () => exchange },
    onTrained: async (model) => {
      weights = model.getWeights().map((w) => w.dataSync() as Float32Array);
    },
  },
  {
    emit: (event) => {
      if (event.type === 'progress') losses.push(event.loss);
      if (event.type === 'epoch') validation.push(event.valLoss, event.valAccuracy);
    },
    stopRequested: () => false,
    afterStep: () => void tensorsAt.push(tf.memory().numTensors),
  },
);
parentPort!.postMessage({ finished, losses, validation, weights, tensorsAt });
