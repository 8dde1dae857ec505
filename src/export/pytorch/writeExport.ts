import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelSpec } from '../../shared/architecture/modelSpec';
import { encodeSafetensors, type NamedTensor } from '../safetensors';
import { generateModelPy, type ExportBinding } from './modelPy';
import { exportReadme } from './exportReadme';
import {
  readShardedDatasetPy,
  readTrainPy,
  REPOSITORY_RESOURCES,
  trainingFiles,
  type TrainingData,
} from './trainingFiles';

export interface PytorchExport {
  spec: ModelSpec;
  binding: ExportBinding;
  /** The model's weights under the workbench's names (`hidden1/kernel`), as the engine's LayersModel has them. */
  weights: NamedTensor[];
  /** Where they came from, for the folder's README (a run's id and checkpoint, or "initial weights"). */
  source: string;
  /** The recipe and the encoded split train.py trains on; without it the folder holds the model alone. */
  training?: TrainingData;
}

/**
 * Writes a self-contained PyTorch folder for a model: model.py, weights.safetensors, README.md and, given the run's
 * data, train.py with its recipe and encoded split. Refuses a model
 * whose weights and model.py's parameters do not pair up one to one, naming the first that does not.
 */
export async function writePytorchExport(
  outDir: string,
  exported: PytorchExport,
  resourcesDir = REPOSITORY_RESOURCES,
): Promise<string[]> {
  const { source, weightKeys } = generateModelPy(exported.spec, exported.binding);
  const names = new Set(exported.weights.map((w) => w.name));
  const unmatched = exported.weights.find((w) => !(w.name in weightKeys));
  if (unmatched) throw new Error(`the model has a weight ${unmatched.name} that model.py does not place`);
  const absent = Object.keys(weightKeys).find((name) => !names.has(name));
  if (absent) throw new Error(`model.py expects a weight ${absent} that the model does not have`);
  await mkdir(join(outDir, 'data'), { recursive: true });
  const files: Record<string, string | Uint8Array> = {
    'model.py': source,
    'weights.safetensors': encodeSafetensors(exported.weights, { format: 'pt', source: exported.source }),
    'README.md': exportReadme(
      exported.spec,
      exported.source,
      exported.training !== undefined,
      exported.training && 'records' in exported.training.splits ? exported.training.splits.folder : null,
    ),
    ...(exported.training
      ? trainingFiles(
          exported.spec,
          exported.training,
          exported.weights,
          readTrainPy(resourcesDir),
          readShardedDatasetPy(resourcesDir),
        )
      : {}),
  };
  for (const [name, content] of Object.entries(files)) await writeFile(join(outDir, name), content);
  return Object.keys(files);
}
