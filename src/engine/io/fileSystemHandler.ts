import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';

const WEIGHTS_FILE = 'weights.bin';

/**
 * Saves and loads the TensorFlow.js layers format (model.json + one weights file) on disk. tfjs-node brings its own
 * file:// handler; without it (wasm, cpu) pure tfjs-core has none, so this one is registered for file:// instead.
 */
export function fileSystemHandler(modelJsonPath: string): tf.io.IOHandler {
  const folder = dirname(modelJsonPath);
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      mkdirSync(folder, { recursive: true });
      const weightData = artifacts.weightData
        ? tf.io.CompositeArrayBuffer.join(artifacts.weightData)
        : new ArrayBuffer(0);
      writeFileSync(join(folder, WEIGHTS_FILE), new Uint8Array(weightData));
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as tf.io.ModelJSON['modelTopology'],
        weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs ?? [] }],
        ...(artifacts.format ? { format: artifacts.format } : {}),
        ...(artifacts.generatedBy ? { generatedBy: artifacts.generatedBy } : {}),
        ...(artifacts.convertedBy ? { convertedBy: artifacts.convertedBy } : {}),
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      };
      writeFileSync(modelJsonPath, JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      const modelJson = JSON.parse(readFileSync(modelJsonPath, 'utf8')) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const buffers = manifest.flatMap((group) =>
          group.paths.map((path) => {
            const bytes = readFileSync(join(folder, path));
            return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
          }),
        );
        return [manifest.flatMap((group) => group.weights), tf.io.CompositeArrayBuffer.join(buffers)];
      });
    },
  };
}

const FILE_SCHEME = 'file://';
let registered = false;

/** Lets tf.loadLayersModel('file://…/model.json') and model.save('file://…') work on every backend. */
export function registerFileSystemRouter(): void {
  if (registered) return;
  registered = true;
  // A router answers null for URLs that are not its own; tfjs checks for that, though its type does not say so.
  const route = (url: string | string[]): tf.io.IOHandler => {
    const path = Array.isArray(url) ? url[0]! : url;
    if (!path.startsWith(FILE_SCHEME)) return null as unknown as tf.io.IOHandler;
    const target = path.slice(FILE_SCHEME.length);
    return fileSystemHandler(target.endsWith('.json') ? target : join(target, 'model.json'));
  };
  if (tf.io.getSaveHandlers('file:///probe').length === 0) tf.io.registerSaveRouter(route);
  if (tf.io.getLoadHandlers('file:///probe/model.json').length === 0) tf.io.registerLoadRouter(route);
}
