import * as tf from '@tensorflow/tfjs-core';
import { describeBackend, selectBackend } from '../src/engine/backend';
import { buildModel } from '../src/engine/models/buildModel';
import { readAttention } from '../src/engine/train/attentionSnapshot';
import { findPreset } from '../src/shared/architecture/presets';

/**
 * Training steps per second of the transformer-text preset (vocabulary 8000, T 64, d 64, 4 heads, 2 blocks,
 * batch 32), the cost of one attention snapshot, and the tensor count across steps.
 */
export async function trainingThroughput(backendName?: string): Promise<void> {
  const backend = await selectBackend(backendName);
  const { model, probe, attention } = buildModel(findPreset('transformer-text')!.spec, {
    vocabSizes: { tokens: 8000 },
    classes: 2,
    dropout: 0.1,
  });
  const optimizer = tf.train.adam(1e-3);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const batch = 32;
  const ids = tf.randomUniform([batch, 64], 2, 8000, 'int32');
  const labels = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: batch }, (_, i) => i % 2),
      'int32',
    ),
    2,
  );
  const step = async () => {
    const loss = optimizer.minimize(
      () => tf.losses.softmaxCrossEntropy(labels, model.apply(ids, { training: true }) as tf.Tensor) as tf.Scalar,
      true,
      variables,
    )!;
    await loss.data();
    loss.dispose();
  };
  for (let i = 0; i < 3; i++) await step();
  const sample = {
    inputs: [tf.slice(ids, [0, 0], [1, 64])],
    tokens: { tokens: Array.from({ length: 64 }, (_, i) => `w${i}`) },
  };
  const tensorsBefore = tf.memory().numTensors;
  const steps = 10;
  const start = performance.now();
  for (let i = 0; i < steps; i++) await step();
  const stepMs = (performance.now() - start) / steps;
  const snapshotStart = performance.now();
  for (let i = 0; i < 5; i++) await readAttention(probe, attention, sample);
  const snapshotMs = (performance.now() - snapshotStart) / 5;
  console.log(`training step, transformer-text, batch ${batch}, backend ${describeBackend(backend)}:`);
  console.log(`  ${stepMs.toFixed(0)} ms/step, ${((batch * 1000) / stepMs).toFixed(1)} samples/s`);
  console.log(
    `  attention snapshot (2 layers x 4 heads x 64x64): ${snapshotMs.toFixed(1)} ms, ${((snapshotMs / 1000) * 100).toFixed(2)}% of a second at one per second`,
  );
  console.log(`  tensors: ${tensorsBefore} before ${steps} steps and 5 snapshots, ${tf.memory().numTensors} after`);
  model.dispose();
  optimizer.dispose();
  tf.dispose([ids, labels, ...sample.inputs]);
}
