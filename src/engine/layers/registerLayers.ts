// Importing a layer registers it for tfjs serialization; this module imports them all, so that a saved model that
// uses any of them loads with a plain tf.loadLayersModel.
import './layerNormalization';
import './maskedAveragePooling1d';
import './multiHeadAttention';
import './paddingMask';
import './positionalEncoding';

export const WORKBENCH_LAYERS = [
  'WorkbenchLayerNormalization',
  'MaskedAveragePooling1D',
  'MultiHeadAttention',
  'PaddingMask',
  'PositionalEncoding',
] as const;
