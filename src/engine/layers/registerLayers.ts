// Importing a layer registers it for tfjs serialization; this module imports them all, so that a saved model that
// uses any of them loads with a plain tf.loadLayersModel.
import './additiveAttention';
import './attentionPooling';
import './batchNormalization';
import './cbam';
import './dense';
import './dropout';
import './firstToken';
import './fusedRecurrent';
import './layerNormalization';
import './maskedAveragePooling1d';
import './multiHeadAttention';
import './paddingMask';
import './patchEmbedding';
import './positionalEncoding';
import './sameAveragePooling2d';
import './spatialAttention';
import './squeezeExcitation';

export const WORKBENCH_LAYERS = [
  'AdditiveAttention',
  'AttentionPooling',
  'Cbam',
  'FirstToken',
  'FusedRecurrent',
  'WorkbenchLayerNormalization',
  'MaskedAveragePooling1D',
  'MultiHeadAttention',
  'PaddingMask',
  'PatchEmbedding',
  'PositionalEncoding',
  'SameAveragePooling2D',
  'SpatialAttention',
  'SqueezeExcitation',
] as const;
