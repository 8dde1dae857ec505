import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { ModelSpec } from '../../shared/spec/modelSpec';
import '../layers/registerLayers';
import { registerFileSystemRouter } from './fileSystemHandler';

export interface ExportedModelInfo {
  spec: ModelSpec;
  classNames: string[];
  maxLength: number;
  /** Token of each id: the model reads ids, this turns words into them (0 pads, 1 is unknown). */
  vocabulary: readonly string[];
}

/**
 * Writes a trained model in the TensorFlow.js layers format (model.json + weights.bin) with workbench.json beside
 * it: the spec, the class names and the vocabulary needed to feed it text.
 */
export async function exportModel(model: LayersModel, folder: string, info: ExportedModelInfo): Promise<void> {
  registerFileSystemRouter();
  const target = resolve(folder);
  await model.save(`file://${target}`);
  await writeFile(join(target, 'workbench.json'), JSON.stringify(info));
}
