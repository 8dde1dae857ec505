import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HyperParams } from '../../shared/hyperParams';
import type { ExportManifest } from '../../shared/storedRecords/exportManifest';
import type { TokenizerSettings } from '../../shared/tokenizerSettings';
import type { ModelSpec } from '../../shared/architecture/modelSpec';
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

/**
 * train.py itself: one script for python, torchrun and a cluster, the same for every model. It ships as a resource
 * of the app (resources/pytorch/), read from where the caller finds it: the repository, or the packaged app.
 */
export function readTrainPy(resourcesDir: string): string {
  return readFileSync(join(resourcesDir, 'pytorch', 'train.py'), 'utf8');
}

/** The repository's resources folder, for the CLI and the tests (the packaged app passes its own). */
export const REPOSITORY_RESOURCES = fileURLToPath(new URL('../../../resources', import.meta.url));

/** The files train.py reads and the script itself, by path inside the export folder. */
export function trainingFiles(
  spec: ModelSpec,
  data: TrainingData,
  weights: readonly NamedTensor[],
  trainPy: string,
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
    'train.py': trainPy,
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
