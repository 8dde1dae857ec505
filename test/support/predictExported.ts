// Run in a fresh Node process: loads an exported model with a plain tf.loadLayersModel and prints its predictions,
// so that a test can compare them with the model before it was saved.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { loadLayersModel } from '@tensorflow/tfjs-layers';
import '../../src/engine/layers/registerLayers';
import { registerFileSystemRouter } from '../../src/engine/io/fileSystemHandler';

const [folder, idsJson] = process.argv.slice(2);
await tf.setBackend('cpu');
registerFileSystemRouter();
const model = await loadLayersModel(`file://${folder}/model.json`);
const ids = JSON.parse(idsJson!) as number[][];
const output = model.predict(tf.tensor2d(ids, undefined, 'int32')) as tf.Tensor;
process.stdout.write(JSON.stringify(await output.array()));
