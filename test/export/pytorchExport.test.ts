import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/engine/backend';
import { buildModel } from '../../src/engine/models/buildModel';
import { withSeededInitialization } from '../../src/engine/models/seededInitialization';
import { encodeSafetensors, type NamedTensor } from '../../src/export/safetensors';
import { writePytorchExport } from '../../src/export/pytorch/writeExport';
import type { ModelSpec } from '../../src/shared/architecture/modelSpec';
import {
  attentionNodes,
  batchFor,
  inTorch,
  everyCoveredOp,
  imageOps,
  largestDifference,
  lastStates,
  randomizeWeights,
  recurrentOps,
  torchMissing,
} from '../support/pytorchParity';
import { findPreset } from '../../src/shared/architecture/presets';

/** The ViT preset with its patches mean-pooled: no class token, fixed positions added to unscaled patches. */
const vit = findPreset('vit-image')!.spec;
const meanPooledVit: ModelSpec = {
  ...vit,
  nodes: vit.nodes.map((n) =>
    n.id === 'patches'
      ? { ...n, params: { patchSize: 8, dim: 32, classToken: false } }
      : n.id === 'position'
        ? { ...n, params: { kind: 'sinusoidal', scaleInput: false } }
        : n.id === 'classToken'
          ? { ...n, op: 'globalAveragePool1d' }
          : n,
  ),
};

/** The exported model.py in PyTorch (eval mode) on the batch: its logits and attention maps, flattened. */
const forwardInTorch = (dir: string, spec: ModelSpec, batchFile: string) =>
  inTorch<{ logits: number[]; maps: Record<string, number[]> }>(
    dir,
    spec,
    batchFile,
    `model.eval()
with torch.no_grad():
    logits, attention = model(*args)
print(json.dumps({"logits": logits.flatten().tolist(), "maps": {k: v.flatten().tolist() for k, v in attention.items()}}))`,
  );

let backendName = '';
beforeAll(async () => {
  backendName = (await selectBackend(process.env['WORKBENCH_BACKEND'])).name;
});

describe('the PyTorch export', () => {
  it.each([
    ['mlp-image', findPreset('mlp-image')!.spec],
    ['mlp-text', findPreset('mlp-text')!.spec],
    ['transformer-text', findPreset('transformer-text')!.spec],
    ['transformer-tagger', findPreset('transformer-tagger')!.spec],
    ['transformer-seq2seq', findPreset('transformer-seq2seq')!.spec],
    ['every fully connected op', everyCoveredOp],
    ['attention nodes', attentionNodes],
    ['conv-attention-image', findPreset('conv-attention-image')!.spec],
    ['vit-image', findPreset('vit-image')!.spec],
    ['vit-image without a class token, mean-pooled', meanPooledVit],
    ['image ops', imageOps],
    ['cnn-lstm-text', findPreset('cnn-lstm-text')!.spec],
    ['recurrent ops', recurrentOps],
    ['last states', lastStates],
  ])(
    '%s: the exported module with the exported weights gives the workbench’s outputs and attention maps within 1e-4',
    async (_name, spec) => {
      if (torchMissing) return;
      const vocab = 300;
      const binding = {
        vocabSizes: Object.fromEntries(spec.inputs.map((i) => [i.id, vocab])),
        classes: 5,
        dropout: 0.1,
      };
      const { model, probe, attention } = withSeededInitialization(7, () => buildModel(spec, binding));
      randomizeWeights(model as never);
      const { tensors, named } = batchFor(spec, vocab);
      const outputs = tf.tidy(() => probe.predict(tensors.length === 1 ? tensors[0]! : tensors)) as
        tf.Tensor | tf.Tensor[];
      const [logits, ...maps] = Array.isArray(outputs) ? outputs : [outputs];
      const want = [...(await logits!.data())];
      const weights: NamedTensor[] = model.weights.map((w) => ({
        name: w.originalName,
        dtype: 'F32',
        shape: w.shape as number[],
        data: w.read().dataSync() as Float32Array,
      }));
      const dir = await mkdtemp(join(tmpdir(), 'pytorch-export-'));
      expect(await writePytorchExport(dir, { spec, binding, weights, source: 'initial weights' })).toEqual([
        'model.py',
        'weights.safetensors',
        'README.md',
      ]);
      const inputsFile = join(dir, 'inputs.safetensors');
      await writeFile(inputsFile, encodeSafetensors(named));
      const got = forwardInTorch(dir, spec, inputsFile);
      expect(got.logits).toHaveLength(want.length);
      const differences = [largestDifference(got.logits, want)];
      // Every attention map the workbench shows, under the same layer name.
      expect(Object.keys(got.maps).sort()).toEqual(attention.map((a) => a.layer).sort());
      for (const [i, info] of attention.entries()) {
        const map = [...(await maps[i]!.data())];
        expect(got.maps[info.layer], info.layer).toHaveLength(map.length);
        differences.push(largestDifference(got.maps[info.layer]!, map));
      }
      const worst = Math.max(...differences);
      console.log(
        `${spec.name} on ${backendName}: ${want.length} logits and ${attention.length} attention maps, ` +
          `largest relative difference ${worst.toExponential(2)}`,
      );
      expect(worst).toBeLessThanOrEqual(1e-4);
      // Outputs that differ must fail: the comparison is not vacuous.
      expect(Math.max(...want) - Math.min(...want)).toBeGreaterThan(1e-3);
      const source = await readFile(join(dir, 'model.py'), 'utf8');
      expect(source).toMatch(/^ {8}\w+ = .+ {2}# \[B(, \d+)*\]$/m);
      tf.dispose([...(Array.isArray(outputs) ? outputs : [outputs]), ...tensors]);
      model.dispose();
    },
    60_000,
  );
});
