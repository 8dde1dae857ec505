import * as tf from '@tensorflow/tfjs-core';
import { describeBackend, selectBackend } from '../src/engine/backend';
import { buildModel } from '../src/engine/models/buildModel';
import { taskLoss } from '../src/engine/train/losses';
import { PRESETS } from '../src/shared/spec/presets';

/** Training samples per second of one Adam step, batch 32, for every preset, on random inputs of its shapes. */
export async function presetThroughput(backendName?: string): Promise<void> {
  const backend = await selectBackend(backendName);
  console.log(`training step of every preset, batch 32, backend ${describeBackend(backend)}:`);
  const batch = 32;
  const classes = 10;
  for (const preset of PRESETS) {
    const vocabSizes = Object.fromEntries(
      preset.spec.inputs.map((input) => [input.id, input.kind === 'tokens' ? input.vocabSize : 0]),
    );
    const { model } = buildModel(preset.spec, { vocabSizes, classes, dropout: 0.1 });
    const inputs = preset.spec.inputs.map((input) =>
      input.kind === 'image'
        ? tf.randomUniform([batch, input.height, input.width, input.channels])
        : tf.randomUniform([batch, input.maxLength], 1, input.vocabSize, 'int32'),
    );
    const sequence = preset.task === 'sequence-labelling' || preset.task === 'seq2seq';
    const last = preset.spec.inputs.at(-1)!;
    const targets = tf.randomUniform(
      sequence && last.kind === 'tokens' ? [batch, last.maxLength] : [batch],
      1,
      classes,
      'int32',
    );
    const optimizer = tf.train.adam(1e-3);
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const step = async () => {
      const loss = optimizer.minimize(
        () => taskLoss(model.apply(inputs, { training: true }) as tf.Tensor, targets, classes, sequence),
        true,
        variables,
      )!;
      await loss.data();
      loss.dispose();
    };
    await step();
    const tensorsBefore = tf.memory().numTensors;
    const steps = 5;
    const start = performance.now();
    for (let i = 0; i < steps; i++) await step();
    const stepMs = (performance.now() - start) / steps;
    const leak = tf.memory().numTensors - tensorsBefore;
    console.log(
      `  ${preset.id.padEnd(22)} ${stepMs.toFixed(0).padStart(6)} ms/step ${((batch * 1000) / stepMs).toFixed(1).padStart(8)} samples/s  tensors +${leak}`,
    );
    model.dispose();
    optimizer.dispose();
    tf.dispose([...inputs, targets]);
  }
}
