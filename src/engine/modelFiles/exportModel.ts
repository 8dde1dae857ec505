import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { ModelSpec } from '../../shared/architecture/modelSpec';
import type { ExportVocabularies } from '../data/preparedDataset';
import '../layers/registerLayers';
import { registerFileSystemRouter } from '../io/fileSystemHandler';

/** workbench.json: what it takes to feed an exported model and read its output. */
export interface ExportedModelInfo extends ExportVocabularies {
  spec: ModelSpec;
}

/**
 * Writes a trained model in the TensorFlow.js layers format (model.json + weights.bin) with workbench.json beside
 * it: the spec, the class names and the vocabulary of each token input (0 pads, 1 is unknown).
 */
export async function exportModel(model: LayersModel, folder: string, info: ExportedModelInfo): Promise<void> {
  registerFileSystemRouter();
  const target = resolve(folder);
  await model.save(`file://${target}`);
  await writeFile(join(target, 'workbench.json'), JSON.stringify(info));
}
