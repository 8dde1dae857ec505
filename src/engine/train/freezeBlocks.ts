import type { LayersModel } from '@tensorflow/tfjs-layers';

/**
 * Stops the weights of the given blocks from training. A block's layers are named after its node id: the id itself,
 * or the id and an underscore for the layers a composite block expands into (encoder1_attention, encoder1_ffn1).
 */
export function freezeBlocks(model: LayersModel, nodeIds: readonly string[]): void {
  if (nodeIds.length === 0) return;
  for (const layer of model.layers) {
    if (nodeIds.some((id) => layer.name === id || layer.name.startsWith(`${id}_`))) layer.trainable = false;
  }
}
