import * as tf from '@tensorflow/tfjs-core';
import { layers, sequential } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/engine/backend';
import { createExchangeBuffer, GradientExchange } from '../../../src/engine/parallel/gradientExchange';
import { averageRunningStatistics } from '../../../src/engine/parallel/replicaAgreement';
import { exchangePeer } from '../../support/exchangePeer';

beforeAll(async () => {
  await selectBackend('wasm');
});

describe("replicas' agreement on what gradients do not train", () => {
  it("averages batch norm's running mean and variance with the other replica's, in pieces of the exchange's length", async () => {
    const model = sequential({ layers: [layers.batchNormalization({ inputShape: [6] })] });
    const [gamma, beta] = [tf.fill([6], 2), tf.fill([6], -1)];
    const [mean, variance] = [tf.tensor1d([1, 2, 3, 4, 5, 6]), tf.tensor1d([7, 8, 9, 10, 11, 12])];
    model.setWeights([gamma, beta, mean, variance]);
    // 12 running figures through an exchange of 5: pieces of 5, 5 and 2.
    const length = 5;
    const buffer = createExchangeBuffer({ replicas: 2, length });
    // The peer (rank 1) sends 10 + piece + j at position j of each piece, weighted 2; this replica weighs 1.
    const peer = exchangePeer({ buffer, replicas: 2, length, rank: 1, steps: 3 });
    const before = tf.memory().numTensors;
    averageRunningStatistics(new GradientExchange(buffer, { replicas: 2, length }, 0), model);
    expect((await peer).error).toBeUndefined();
    expect(tf.memory().numTensors).toBe(before);
    const own = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    const expected = own.map((x, i) => (x + 2 * (10 + Math.floor(i / length) + (i % length))) / 3);
    const [g, b, m, v] = model.getWeights().map((w) => [...w.dataSync()]);
    m!.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 5));
    v!.forEach((value, i) => expect(value).toBeCloseTo(expected[6 + i]!, 5));
    // The trained weights are the gradients' business: untouched.
    expect(g).toEqual([2, 2, 2, 2, 2, 2]);
    expect(b).toEqual([-1, -1, -1, -1, -1, -1]);
    tf.dispose([gamma, beta, mean, variance]);
    model.dispose();
  });
});
