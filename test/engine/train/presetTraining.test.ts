import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/engine/backend';
import { generateDateFormats } from '../../../src/engine/data/builtin/dateFormats';
import type { LoadedDataset } from '../../../src/engine/data/datasetTypes';
import { generateEntityTagging } from '../../../src/engine/data/builtin/entityTagging';
import { generateKeywordTopics } from '../../../src/engine/data/builtin/keywordTopics';
import { generateObjectInClutter } from '../../../src/engine/data/builtin/objectInClutter';
import { prepareDataset } from '../../../src/engine/data/prepareDataset';
import { trainModel } from '../../../src/engine/train/trainModel';
import type { BackendReport } from '../../../src/shared/backends';
import type { AttentionEvent, TrainEvent } from '../../../src/shared/events';
import { hyperParamsSchema } from '../../../src/shared/hyperParams';
import { findPreset, PRESETS } from '../../../src/shared/architecture/presets';
import { draftFromSpec, draftToSpec } from '../../../src/renderer/src/editor/architectureDraft';
import { autoLayout } from '../../../src/renderer/src/editor/autoLayout';

let backend: BackendReport;
beforeAll(async () => {
  backend = await selectBackend(process.env['WORKBENCH_BACKEND']);
});

const images = () => generateObjectInClutter(100, 2);
const texts = (): LoadedDataset => ({ kind: 'text-classification', ...generateKeywordTopics(120, 4) });

/** A tiny dataset of each preset's task; the SpamAssassin presets read the (quicker) keyword topics instead. */
const TINY: Record<string, () => LoadedDataset> = {
  'conv-attention-image': images,
  'mlp-image': images,
  'vit-image': images,
  'cnn-lstm-text': texts,
  'transformer-text': texts,
  'mlp-text': texts,
  'transformer-tagger': () => generateEntityTagging(120, 2),
  'transformer-seq2seq': () => generateDateFormats(120, 2),
};

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('every preset, opened in the editor, trains on a tiny dataset of its task', () => {
  it('covers every preset', () => {
    expect(Object.keys(TINY).sort()).toEqual(PRESETS.map((p) => p.id).sort());
  });

  for (const preset of PRESETS) {
    it(`${preset.id}: the training loss falls, attention maps come labelled, tensors return to the baseline`, async () => {
      // The spec as the editor sends it when the preset is opened there and trained: laid out, saved back.
      const opened = draftFromSpec(findPreset(preset.id)!.spec);
      const spec = draftToSpec({ ...opened, layout: autoLayout(opened) });
      // Shorter texts keep the recurrent preset quick; the graph is the preset's.
      for (const input of spec.inputs)
        if (input.kind === 'tokens' && preset.task === 'text-classification') input.maxLength = 32;
      const data = prepareDataset(TINY[preset.id]!(), spec, { validationFraction: 0.1, testFraction: 0.1, seed: 3 });
      const events: TrainEvent[] = [];
      const before = tf.memory().numTensors;
      const finished = await trainModel(
        {
          runId: preset.id,
          datasetId: 'tiny',
          presetId: preset.id,
          spec,
          hyperParams: hyperParamsSchema.parse({ epochs: 6, batchSize: 16, learningRate: 3e-3, dropout: 0 }),
          backend,
          data,
          attentionIntervalMs: 1e9,
          progressIntervalMs: 0,
        },
        { emit: (event) => events.push(event), stopRequested: () => false },
      );
      expect(finished.status, finished.reason).toBe('completed');
      const losses = events.flatMap((e) => (e.type === 'progress' ? [e.loss] : []));
      console.log(
        `${preset.id}: loss ${mean(losses.slice(0, 3)).toFixed(3)} -> ${mean(losses.slice(-3)).toFixed(3)} over ${losses.length} steps`,
      );
      expect(mean(losses.slice(-3))).toBeLessThan(mean(losses.slice(0, 3)) * 0.8);
      expect(tf.memory().numTensors).toBe(before);

      const attention = events.filter((e): e is AttentionEvent => e.type === 'attention').at(-1);
      const mapsExpected = preset.id.startsWith('mlp') ? 0 : 1;
      expect(attention ? attention.layers.length : 0).toBeGreaterThanOrEqual(mapsExpected);
      // Seq2seq snapshots at the epochs' ends decode the sample greedily and by beam search, side by side.
      if (preset.task === 'seq2seq') {
        expect(attention!.decoded).toMatchObject({
          beamWidth: 4,
          greedy: expect.any(String),
          beam: expect.any(String),
        });
        expect(attention!.decoded!.greedyLogProb).toBeLessThanOrEqual(0);
        expect(attention!.decoded!.beamLogProb).toBeLessThanOrEqual(0);
      } else expect(attention?.decoded).toBeUndefined();
      for (const layer of attention?.layers ?? []) {
        expect(layer.weights.length).toBe(layer.heads * layer.queries * layer.keys);
        expect(layer.queryLabels).toHaveLength(layer.queries);
        expect(layer.keyLabels).toHaveLength(layer.keys);
        if (layer.kind === 'tokens') {
          // A softmax over the keys: every row sums to 1.
          for (let row = 0; row < layer.heads * layer.queries; row++) {
            const sum = layer.weights.subarray(row * layer.keys, (row + 1) * layer.keys).reduce((a, b) => a + b, 0);
            expect(sum).toBeCloseTo(1, 4);
          }
        }
      }
    }, 120_000);
  }
});
