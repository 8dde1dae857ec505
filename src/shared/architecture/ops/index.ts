import { activation } from './activation';
import { add } from './add';
import { additiveAttention } from './additiveAttention';
import { attentionPooling } from './attentionPooling';
import { avgPool2d } from './avgPool2d';
import { batchNorm } from './batchNorm';
import { bidirectional } from './bidirectional';
import { cbam } from './cbam';
import { classifier } from './classifier';
import { concat } from './concat';
import { conv1d } from './conv1d';
import { conv2d } from './conv2d';
import { dense } from './dense';
import { depthwiseConv2d } from './depthwiseConv2d';
import { dropout } from './dropout';
import { embedding } from './embedding';
import { firstToken } from './firstToken';
import { flatten } from './flatten';
import { globalAveragePool1d } from './globalAveragePool1d';
import { globalAveragePool2d } from './globalAveragePool2d';
import { globalMaxPool2d } from './globalMaxPool2d';
import { gru } from './gru';
import { layerNorm } from './layerNorm';
import { lstm } from './lstm';
import { maxPool2d } from './maxPool2d';
import { multiHeadAttention } from './multiHeadAttention';
import { patchEmbedding } from './patchEmbedding';
import { positionalEncoding } from './positionalEncoding';
import { spatialAttention } from './spatialAttention';
import { squeezeExcitation } from './squeezeExcitation';
import { tokenClassifier } from './tokenClassifier';
import { transformerDecoder } from './transformerDecoder';
import { transformerEncoder } from './transformerEncoder';

/**
 * Every op, by the name a spec uses, in palette order: the one table from which the parameter schemas, shape
 * inference, the palette's catalog, the composite views and the memory estimate are all read.
 */
export const OP_DEFINITIONS = {
  embedding,
  positionalEncoding,
  patchEmbedding,
  transformerEncoder,
  transformerDecoder,
  multiHeadAttention,
  additiveAttention,
  attentionPooling,
  squeezeExcitation,
  spatialAttention,
  cbam,
  conv1d,
  conv2d,
  depthwiseConv2d,
  maxPool2d,
  avgPool2d,
  globalAveragePool2d,
  globalMaxPool2d,
  globalAveragePool1d,
  firstToken,
  lstm,
  gru,
  bidirectional,
  dense,
  activation,
  batchNorm,
  layerNorm,
  dropout,
  flatten,
  add,
  concat,
  classifier,
  tokenClassifier,
};
