import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/engine/backend';
import { seededRandom } from '../../src/engine/data/split/seededRandom';
import { buildModel } from '../../src/engine/models/buildModel';
import { withSeededInitialization } from '../../src/engine/models/seededInitialization';
import { taskLoss } from '../../src/engine/train/losses';
import { writePytorchExport } from '../../src/export/pytorch/writeExport';
import { encodeSafetensors, type NamedTensor } from '../../src/export/safetensors';
import type { ModelSpec } from '../../src/shared/architecture/modelSpec';
import { findPreset, PRESETS } from '../../src/shared/architecture/presets';
import {
  attentionNodes,
  batchFor,
  everyCoveredOp,
  imageOps,
  inTorch,
  lastStates,
  randomizeWeights,
  recurrentOps,
  torchMissing,
} from '../support/pytorchParity';

const random = seededRandom(11);

/** The loss's gradient of every trainable weight in PyTorch (training mode), by the workbench's weight names. */
const gradientsInTorch = (dir: string, spec: ModelSpec, batchFile: string, sequence: boolean) =>
  inTorch<Record<string, number[]>>(
    dir,
    spec,
    batchFile,
    `model.train()
logits, _ = model(*args)
targets = batch["targets"].long()
loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=${sequence ? 0 : -100})
loss.backward()
parameters = dict(model.named_parameters())
print(json.dumps({name: parameters[key].grad.flatten().tolist() for name, key in WORKBENCH_WEIGHTS.items() if key in parameters}))`,
  );

let backendName = '';
beforeAll(async () => {
  backendName = (await selectBackend(process.env['WORKBENCH_BACKEND'])).name;
});

describe('the PyTorch export, training', () => {
  it.each([
    ...PRESETS.map((preset): [string, ModelSpec] => [preset.id, findPreset(preset.id)!.spec]),
    // Its dropout at 0: the two engines draw different masks.
    [
      'every fully connected op',
      {
        ...everyCoveredOp,
        nodes: everyCoveredOp.nodes.map((n) => (n.op === 'dropout' ? { ...n, params: { rate: 0 } } : n)),
      },
    ],
    ['attention nodes', attentionNodes],
    ['image ops', imageOps],
    ['recurrent ops', recurrentOps],
    ['last states', lastStates],
  ])(
    '%s: one step’s gradients in PyTorch, from the same weights, are the workbench’s within 1e-3',
    async (_name, spec) => {
      if (torchMissing) return;
      const vocab = 300;
      // Dropout off, so that both sides compute the same function; batch norm uses the batch's moments on both.
      const binding = { vocabSizes: Object.fromEntries(spec.inputs.map((i) => [i.id, vocab])), classes: 5, dropout: 0 };
      const { model } = withSeededInitialization(7, () => buildModel(spec, binding));
      randomizeWeights(model as never);
      const { tensors, named } = batchFor(spec, vocab);
      const outputShape = model.outputs[0]!.shape;
      const sequence = outputShape.length === 3;
      const targetShape = sequence ? [4, outputShape[1]!] : [4];
      const targets = Int32Array.from({ length: targetShape.reduce((a, b) => a * b, 1) }, (_, i) =>
        sequence && i % 5 === 4 ? 0 : 1 + Math.floor(random() * 4),
      );
      const trainable = model.trainableWeights;
      const targetTensor = tf.tensor(targets, targetShape, 'int32');
      const { grads } = tf.variableGrads(
        () =>
          taskLoss(
            model.apply(tensors.length === 1 ? tensors[0]! : tensors, { training: true }) as tf.Tensor,
            targetTensor,
            binding.classes,
            sequence,
          ),
        trainable.map((w) => w.read() as tf.Variable),
      );
      const weights: NamedTensor[] = model.weights.map((w) => ({
        name: w.originalName,
        dtype: 'F32',
        shape: w.shape as number[],
        data: w.read().dataSync() as Float32Array,
      }));
      const dir = await mkdtemp(join(tmpdir(), 'pytorch-grads-'));
      await writePytorchExport(dir, { spec, binding, weights, source: 'test' });
      const batchFile = join(dir, 'batch.safetensors');
      await writeFile(
        batchFile,
        encodeSafetensors([...named, { name: 'targets', dtype: 'I32', shape: targetShape, data: targets }]),
      );
      const torchGradients = gradientsInTorch(dir, spec, batchFile, sequence);
      // The step's error relative to the step: the largest difference over every weight's gradient, against the
      // largest gradient of all. (A weight whose own gradient is tiny, such as a convolution just before batch norm,
      // whose output scale the norm removes, is the difference of large cancelling terms: its float32 rounding differs
      // between any two implementations, the workbench's own cpu and wasm backends included.)
      const wanted = new Map<string, number[]>();
      for (const weight of trainable) {
        wanted.set(weight.originalName, [...(await grads[(weight.read() as tf.Variable).name]!.data())]);
      }
      // A loop, not Math.max(...): a model's gradients outnumber the arguments a call may take.
      let scale = 0;
      for (const values of wanted.values()) for (const value of values) scale = Math.max(scale, Math.abs(value));
      let worst = { difference: 0, weight: '' };
      for (const [name, want] of wanted) {
        const got = torchGradients[name];
        expect(got, name).toHaveLength(want.length);
        const difference = got!.reduce((most, g, i) => Math.max(most, Math.abs(g - want[i]!)), 0) / scale;
        if (difference > worst.difference) worst = { difference, weight: name };
      }
      console.log(
        `${spec.name} on ${backendName}: ${trainable.length} gradients, largest difference ${worst.difference.toExponential(2)} ` +
          `of the largest gradient (${worst.weight})`,
      );
      expect(worst.difference).toBeLessThanOrEqual(1e-3);
      tf.dispose([...Object.values(grads), ...tensors, targetTensor]);
      model.dispose();
    },
    60_000,
  );
});
