import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { GradientExchange } from './gradientExchange';

/** A figure summed over examples: its mean over `counted` of them. */
export interface CountedMean {
  mean: number[];
  counted: number;
}

/**
 * Figures measured by each replica on its own part of a split (validation), combined into the whole split's: each
 * mean weighted by what its replica counted. Every replica gets the same numbers, so every replica's early stopping
 * decides the same.
 */
export function combineMeans(exchange: GradientExchange, own: CountedMean): CountedMean {
  const { mean, totalWeight } = exchange.allReduceMean(Float32Array.from(own.mean), own.counted);
  return { mean: [...mean], counted: totalWeight };
}

/** The weights that are not trained by gradients but follow the data: batch norm's running mean and variance. */
const runningStatistics = (model: LayersModel) =>
  model.weights.filter((w) => !w.trainable && /moving_(mean|variance)/.test(w.originalName));

/**
 * Batch norm's running statistics, averaged over the replicas. Each replica normalises with its own share's
 * statistics and so keeps its own running mean and variance (as DistributedDataParallel does by default); they are
 * made one, the mean of the replicas', before the model is validated, checkpointed or handed on. Equal weights: every
 * replica has seen as many steps. Goes through the exchange in pieces of its length; every replica calls it at the
 * same point.
 */
export function averageRunningStatistics(exchange: GradientExchange, model: LayersModel): void {
  const weights = runningStatistics(model);
  if (weights.length === 0) return;
  const tensors = weights.map((w) => w.read());
  const values = new Float32Array(tensors.reduce((n, t) => n + t.size, 0));
  let at = 0;
  for (const tensor of tensors) {
    values.set(tensor.dataSync() as Float32Array, at);
    at += tensor.size;
  }
  for (let start = 0; start < values.length; start += exchange.length) {
    const piece = values.subarray(start, Math.min(values.length, start + exchange.length));
    piece.set(exchange.allReduceMean(piece.slice(), 1).mean);
  }
  at = 0;
  weights.forEach((weight, i) => {
    const { size, shape } = tensors[i]!;
    const averaged = tf.tensor(values.subarray(at, at + size), shape, 'float32');
    weight.write(averaged);
    averaged.dispose();
    at += size;
  });
}
