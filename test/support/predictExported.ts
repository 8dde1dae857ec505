// Run in a fresh Node process: loads exported models with a plain tf.loadLayersModel and prints their predictions,
// so that a test can compare them with the models before they were saved.
import { readFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { loadLayersModel } from '@tensorflow/tfjs-layers';
import { installChainedOps } from '../../src/engine/chainedOps';
import '../../src/engine/layers/registerLayers';
import { registerFileSystemRouter } from '../../src/engine/io/fileSystemHandler';

export interface ExportedCase {
  folder: string;
  inputs: { shape: number[]; dtype: 'int32' | 'float32'; values: number[] }[];
}

const [casesFile] = process.argv.slice(2);
if (casesFile) {
  await tf.setBackend('cpu');
  installChainedOps();
  registerFileSystemRouter();
  const cases = JSON.parse(await readFile(casesFile, 'utf8')) as ExportedCase[];
  const results: number[][] = [];
  for (const c of cases) {
    const model = await loadLayersModel(`file://${c.folder}/model.json`);
    const output = model.predict(c.inputs.map((i) => tf.tensor(i.values, i.shape, i.dtype))) as tf.Tensor;
    results.push([...(await output.data())]);
  }
  process.stdout.write(JSON.stringify(results));
}
