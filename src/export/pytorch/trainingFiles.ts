import { readFileSync } from 'node:fs';
import type { HyperParams } from '../../shared/hyperParams';
import type { ExportManifest } from '../../shared/storedRecords/exportManifest';
import type { TokenizerSettings } from '../../shared/tokenizerSettings';
import type { ModelSpec } from '../../shared/spec/modelSpec';
import { encodeSafetensors, type NamedTensor } from '../safetensors';

/** What train.py needs beside the model: the run's recipe and its split, already encoded. */
export interface TrainingData {
  recipe: HyperParams;
  datasetId: string;
  presetId: string | null;
  /** The tokenizer settings the run was planned with, so that an imported run cuts text as it did. */
  tokenizerSettings?: TokenizerSettings;
  /** Each split's inputs (by spec input id) and targets, as the model reads them. */
  splits: Record<'train' | 'validation' | 'test', NamedTensor[]>;
  classNames: string[];
  /** Token of each id, per token input. */
  vocabularies: Record<string, readonly string[]>;
  /** How text was cut (kind, BPE merges), for whoever encodes new text for the model. */
  tokenizer?: unknown;
}

/** train.py itself: one script for python, torchrun and a cluster, the same for every model. */
const TRAIN_PY = readFileSync(new URL('./python/train.py', import.meta.url), 'utf8');

/** The files train.py reads and the script itself, by path inside the export folder. */
export function trainingFiles(
  spec: ModelSpec,
  data: TrainingData,
  weights: readonly NamedTensor[],
): Record<string, string | Uint8Array> {
  const manifest: ExportManifest = {
    format: 1,
    spec,
    datasetId: data.datasetId,
    presetId: data.presetId,
    ...(data.tokenizerSettings ? { tokenizer: data.tokenizerSettings } : {}),
    hyperParams: data.recipe,
    weights: weights.map((w) => ({ name: w.name, shape: w.shape })),
  };
  const dataset = {
    datasetId: data.datasetId,
    modelName: spec.name,
    task: spec.task,
    inputs: spec.inputs.map((input) => ({ id: input.id, kind: input.kind })),
    classNames: data.classNames,
  };
  return {
    'train.py': TRAIN_PY,
    'workbench.json': `${JSON.stringify(manifest, null, 2)}\n`,
    'recipe.json': `${JSON.stringify(data.recipe, null, 2)}\n`,
    'data/dataset.json': `${JSON.stringify(dataset, null, 2)}\n`,
    'data/classes.json': `${JSON.stringify(data.classNames)}\n`,
    'data/vocab.json': `${JSON.stringify(data.vocabularies)}\n`,
    'data/tokenizer.json': `${JSON.stringify(data.tokenizer ?? null)}\n`,
    ...Object.fromEntries(
      Object.entries(data.splits).map(([name, tensors]) => [`data/${name}.safetensors`, encodeSafetensors(tensors)]),
    ),
  };
}
