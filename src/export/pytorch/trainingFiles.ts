import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HyperParams } from '../../shared/hyperParams';
import type { ExportManifest } from '../../shared/storedRecords/exportManifest';
import type { TokenizerSettings } from '../../shared/tokenizerSettings';
import type { ModelSpec } from '../../shared/architecture/modelSpec';
import { encodeSafetensors, type NamedTensor } from '../safetensors';

type SplitName = 'train' | 'validation' | 'test';

/**
 * A dataset too big to copy into the export: where its shards are and which records each split reads. The export
 * writes data/shards.json and each split's record list, and train.py reads the shards through sharded_dataset.py.
 */
export interface ShardReference {
  /** The dataset's folder in the workbench's data folder (train.py's --shards points elsewhere). */
  folder: string;
  /** What a record is: uint8 pixels, or uint32 little-endian token ids (0-padded). */
  record: 'image' | 'tokens';
  /** [height, width, channels] of each image record; [ids kept] of a tokens record. */
  shape: number[];
  /** Tokens: the model reads `length` ids (the record's first, 0-padded), and an id at or past `vocabSize` is <unk> (1). */
  length?: number;
  vocabSize?: number;
  recordBytes: number;
  recordsPerShard: number;
  shards: { file: string; records: number }[];
  /** The labels file in the folder (int32 per record). */
  labels: string;
  records: Record<SplitName, Int32Array>;
}

/** What train.py needs beside the model: the run's recipe and its split, already encoded or referenced. */
export interface TrainingData {
  recipe: HyperParams;
  datasetId: string;
  presetId: string | null;
  /** The tokenizer settings the run was planned with, so that an imported run cuts text as it did. */
  tokenizerSettings?: TokenizerSettings;
  /** Each split's inputs (by spec input id) and targets, as the model reads them; or where its shards are. */
  splits: Record<SplitName, NamedTensor[]> | ShardReference;
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

/** The Dataset class over a sharded dataset's shards, beside train.py in the resources. */
export function readShardedDatasetPy(resourcesDir: string): string {
  return readFileSync(join(resourcesDir, 'pytorch', 'sharded_dataset.py'), 'utf8');
}

/** The repository's resources folder, for the CLI and the tests (the packaged app passes its own). */
export const REPOSITORY_RESOURCES = fileURLToPath(new URL('../../../resources', import.meta.url));

/** The files train.py reads and the script itself, by path inside the export folder. */
export function trainingFiles(
  spec: ModelSpec,
  data: TrainingData,
  weights: readonly NamedTensor[],
  trainPy: string,
  shardedDatasetPy = '',
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
    ...('records' in data.splits ? shardFiles(data.splits, shardedDatasetPy) : splitFiles(data.splits)),
  };
}

function splitFiles(splits: Record<SplitName, NamedTensor[]>): Record<string, Uint8Array> {
  return Object.fromEntries(
    Object.entries(splits).map(([name, tensors]) => [`data/${name}.safetensors`, encodeSafetensors(tensors)]),
  );
}

/** The shards' index and each split's record list, and the Dataset class that reads them: no pixel is copied. */
function shardFiles(reference: ShardReference, shardedDatasetPy: string): Record<string, string | Uint8Array> {
  const { records, ...index } = reference;
  return {
    'sharded_dataset.py': shardedDatasetPy,
    'data/shards.json': `${JSON.stringify(index, null, 2)}\n`,
    ...Object.fromEntries(
      Object.entries(records).map(([name, rows]) => [
        `data/${name}-records.safetensors`,
        encodeSafetensors([{ name: 'records', dtype: 'I32', shape: [rows.length], data: rows }]),
      ]),
    ),
  };
}
