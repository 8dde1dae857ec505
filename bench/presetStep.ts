import * as tf from '@tensorflow/tfjs-core';
import { buildModel } from '../src/engine/models/buildModel';
import { taskLoss } from '../src/engine/train/losses';
import { createOptimizer } from '../src/engine/train/optimizer';
import { hyperParamsSchema } from '../src/shared/hyperParams';
import type { Preset } from '../src/shared/architecture/presets';

export const BENCH_BATCH = 32;
export const BENCH_CLASSES = 10;

/**
 * The preset's model with the bench's classes, and random inputs and targets of its shapes for `rows` examples:
 * what one thread's step (below) and each replica's share (replicaStepThread.ts) train on.
 */
export function benchModelAndBatch(preset: Preset, rows: number) {
  const vocabSizes = Object.fromEntries(
    preset.spec.inputs.map((input) => [input.id, input.kind === 'tokens' ? input.vocabSize : 0]),
  );
  const { model } = buildModel(preset.spec, { vocabSizes, classes: BENCH_CLASSES, dropout: 0.1 });
  const inputs = preset.spec.inputs.map((input) =>
    input.kind === 'image'
      ? tf.randomUniform([rows, input.height, input.width, input.channels])
      : tf.randomUniform([rows, input.maxLength], 1, input.vocabSize, 'int32'),
  );
  const sequence = preset.task === 'sequence-labelling' || preset.task === 'seq2seq';
  const last = preset.spec.inputs.at(-1)!;
  const targets = tf.randomUniform(
    sequence && last.kind === 'tokens' ? [rows, last.maxLength] : [rows],
    1,
    BENCH_CLASSES,
    'int32',
  );
  return { model, inputs, targets, sequence };
}

/**
 * One Adam step of a preset at batch 32 with 10 classes on random inputs of its shapes, timed over at least `steps`
 * steps and `minMs` milliseconds after a warm-up (a small model's eight steps are a few milliseconds, where one
 * pause of the machine moves the figure by half): milliseconds per step, trainable weights, and the change in the
 * tensor count (0: no leak).
 */
export async function timePresetStep(
  preset: Preset,
  steps: number,
  minMs = 0,
  /** Runs after the warm-up, in place of the timing (the kernel profile). */
  instead?: (step: () => Promise<void>) => Promise<void>,
) {
  const classes = BENCH_CLASSES;
  const { model, inputs, targets, sequence } = benchModelAndBatch(preset, BENCH_BATCH);
  // The app's Adam (fused into one kernel per weight on wasm), as training uses it.
  const optimizer = createOptimizer(hyperParamsSchema.parse({ optimizer: 'adam', learningRate: 1e-3 }));
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
  // Warm-up: at least two steps (as bench/torchPresets.py gives PyTorch) and half a second, so that V8 has compiled
  // the kernels' TypeScript before timing: a small model's eight steps would otherwise time the JIT (mlp-image
  // measured 0.3x PyTorch first in a process, 0.5x after others). Training runs thousands of steps.
  const warmUntil = performance.now() + 500;
  for (let i = 0; i < 2 || performance.now() < warmUntil; i++) await step();
  const tensorsBefore = tf.memory().numTensors;
  if (instead) await instead(step);
  const start = performance.now();
  let done = 0;
  while (!instead && (done < steps || performance.now() - start < minMs)) {
    await step();
    done++;
  }
  const msPerStep = (performance.now() - start) / Math.max(1, done);
  const leak = tf.memory().numTensors - tensorsBefore;
  // Trainable only, as PyTorch counts parameters (batch norm's moving statistics are buffers there).
  const parameters = model.trainableWeights.reduce(
    (sum, w) => sum + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1),
    0,
  );
  model.dispose();
  optimizer.dispose();
  tf.dispose([...inputs, targets]);
  return { msPerStep, parameters, leak };
}
