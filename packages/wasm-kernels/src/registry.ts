import * as tf from '@tensorflow/tfjs-core';
import * as names from './kernelNames';
import { UNFOLD_FROM } from './conv/convFilterGradByProduct';
import { installConvFilterGradByConv } from './conv/convFilterGradByConv';
import { installConvInputGradByConv } from './conv/convInputGradByConv';
import { installCpuFallbackKernels } from './conv/depthwiseGradOnCpu';
import { CHANNELS_FROM, installImplicitGemmConv } from './conv/implicitGemmConv';
import { installSingleChannelConv } from './conv/singleChannelConv';
import { installBlockTile } from './data-movement/blockTile';
import { installConcatOnHeap } from './data-movement/concatOnHeap';
import { installGatherOnHeap } from './data-movement/gatherOnHeap';
import { installIdentityByReference } from './data-movement/identityByReference';
import { installSegmentSumByScatter } from './data-movement/segmentSumByScatter';
import { installSplitOnHeap } from './data-movement/splitOnHeap';
import { installTransposeOnHeap } from './data-movement/transposeOnHeap';
import { installUnpackReverseOnHeap } from './data-movement/unpackReverseOnHeap';
import { installAdamUpdateOnHeap, TYPESCRIPT_UP_TO } from './elementwise/adamUpdateOnHeap';
import { installBroadcastArithmetic } from './elementwise/broadcastArithmetic';
import { installBroadcastCompares } from './elementwise/broadcastCompare';
import { installDropoutMask } from './elementwise/dropoutMask';
import { installMaxGradOnHeap } from './elementwise/maxGradOnHeap';
import { installMeanGradByTile } from './elementwise/meanGradByTile';
import { installMiddleAxisReduce } from './elementwise/middleAxisReduce';
import { installTanhOnHeap } from './elementwise/tanhOnHeap';
import { installFastMatMul, SIMD_MAX_COLUMNS, SPLIT_FROM } from './matmul/fastMatMul';
import { installDenseOnHeap } from './matmul/denseOnHeap';
import { installFusedMatMulOnHeap } from './matmul/fusedMatMulOnHeap';
import { installBatchNormOnHeap } from './norm/batchNormOnHeap';
import { installBatchNormTraining } from './norm/batchNormTraining';
import { installLayerNormOnHeap } from './norm/layerNormOnHeap';
import { installAttentionPoolsOnHeap } from './pool/attentionPoolsOnHeap';
import { installMaxPoolGradOnHeap } from './pool/maxPoolGradOnHeap';
import { installLstmRecurrenceOnHeap } from './recurrent/lstmRecurrenceOnHeap';
import { installLstmStepOnHeap } from './recurrent/lstmStepOnHeap';
import { installCrossEntropyOnHeap } from './softmax-loss/crossEntropyOnHeap';
import { installSoftmaxGradOnHeap } from './softmax-loss/softmaxGradOnHeap';

export type Family =
  'matmul' | 'conv' | 'norm' | 'pool' | 'recurrent' | 'softmax-loss' | 'elementwise' | 'data-movement';

export interface KernelEntry {
  family: Family;
  /** tfjs kernels replaced: the backend's own serves every case `takes` leaves out. */
  replaces: readonly string[];
  /** Kernels added: wasm has none (kernelNames.ts names the package's own), or a gradient replaced. */
  adds: readonly string[];
  /** Which inputs take this path; the rest keep the backend's kernel. */
  takes: string;
  /** The constants that choose the path, as the kernel's file defines them (measured there). */
  thresholds?: Readonly<Record<string, number>>;
  install: (backendName: string) => void;
  /** The test that compares it with the cpu backend or a float64 reference, from the repository's root. */
  test: string;
}

const PACKAGE_TEST = (name: string) => `packages/wasm-kernels/test/${name}.test.ts`;
const APP_TEST = (path: string) => `test/engine/${path}.test.ts`;

/**
 * Every kernel this package replaces or adds, in the order they are registered: an entry that wraps a kernel wraps
 * whatever is registered when it installs (the product transposes through the Transpose above it; the convolutions
 * stack, the last installed tried first).
 */
export const KERNEL_REGISTRY: readonly KernelEntry[] = [
  {
    family: 'data-movement',
    replaces: [],
    adds: [tf.UnsortedSegmentSum],
    takes: "1-D segment ids along the first axis (gather's gradient): one ScatterNd",
    install: installSegmentSumByScatter,
    test: PACKAGE_TEST('wasmKernels'),
  },
  {
    family: 'data-movement',
    replaces: [tf.Transpose],
    adds: [],
    takes: 'any dtype but string: runs of contiguous rows copied as blocks, in SIMD for rows in fours',
    install: installTransposeOnHeap,
    test: PACKAGE_TEST('wasmBlockKernels'),
  },
  {
    family: 'matmul',
    replaces: [tf.BatchMatMul],
    adds: [],
    takes:
      'float32: the SIMD product up to SIMD_MAX_COLUMNS columns of B; batch items of SPLIT_FROM multiply-adds and more one XNNPACK product each',
    thresholds: { SIMD_MAX_COLUMNS, SPLIT_FROM },
    install: installFastMatMul,
    test: PACKAGE_TEST('simdProduct'),
  },
  {
    family: 'data-movement',
    replaces: [tf.Tile],
    adds: [],
    takes: 'tiles that repeat whole blocks (a [C] vector to [N, C]): one block copy per repeat',
    install: installBlockTile,
    test: PACKAGE_TEST('wasmBlockKernels'),
  },
  {
    family: 'elementwise',
    replaces: [tf.Equal, tf.NotEqual, tf.Greater, tf.GreaterEqual, tf.Less, tf.LessEqual],
    adds: [],
    takes: 'operands that broadcast: one loop per output row, the operator inlined',
    install: installBroadcastCompares,
    test: PACKAGE_TEST('wasmBlockKernels'),
  },
  {
    family: 'pool',
    replaces: [tf.MaxPoolGrad],
    adds: [],
    takes: 'float32 NHWC: each element written once where windows tile the input, in SIMD for channels in fours',
    install: installMaxPoolGradOnHeap,
    test: PACKAGE_TEST('wasmBlockKernels'),
  },
  {
    family: 'elementwise',
    replaces: [tf.Sum, tf.Mean, tf.Max],
    adds: [],
    takes: 'float32 reductions over one run of axes that is not innermost: one pass, no transpose',
    install: installMiddleAxisReduce,
    test: PACKAGE_TEST('wasmBlockKernels'),
  },
  {
    family: 'data-movement',
    replaces: [tf.Unpack, tf.Reverse],
    adds: [],
    takes: 'any dtype: block copies of [outer, length, inner] views',
    install: installUnpackReverseOnHeap,
    test: PACKAGE_TEST('wasmBlockKernels'),
  },
  {
    family: 'recurrent',
    replaces: [],
    adds: [names.LSTM_STEP, names.LSTM_STEP_GRAD],
    takes: 'float32 [B, 4H]: one loop each way, the rational tanh and sigmoid',
    install: installLstmStepOnHeap,
    test: APP_TEST('layers/fusedRecurrent'),
  },
  {
    family: 'elementwise',
    replaces: [],
    adds: [names.ADAM_UPDATE],
    takes: 'float32 weights of any size in SIMD (without SIMD, up to TYPESCRIPT_UP_TO elements in TypeScript)',
    thresholds: { TYPESCRIPT_UP_TO },
    install: installAdamUpdateOnHeap,
    test: APP_TEST('train/fusedAdam'),
  },
  {
    family: 'recurrent',
    replaces: [],
    adds: [names.LSTM_RECURRENCE, names.LSTM_RECURRENCE_GRAD],
    takes: 'float32, H in fours, with SIMD: every step of a direction in one call each way',
    install: installLstmRecurrenceOnHeap,
    test: APP_TEST('layers/fusedRecurrent'),
  },
  {
    family: 'elementwise',
    replaces: [tf.Add, tf.Sub, tf.Multiply],
    adds: [],
    takes: 'float32 with one operand broadcast over one run of axes, inner size in fours, with SIMD',
    install: installBroadcastArithmetic,
    test: PACKAGE_TEST('broadcastArithmetic'),
  },
  {
    family: 'softmax-loss',
    replaces: [],
    adds: [names.SOFTMAX_GRAD, `${tf.Softmax} gradient`],
    takes: 'float32 softmax over the last axis, length in fours, with SIMD',
    install: installSoftmaxGradOnHeap,
    test: PACKAGE_TEST('softmaxGradOnHeap'),
  },
  {
    family: 'elementwise',
    replaces: [tf.Tanh],
    adds: [],
    takes: 'float32, with SIMD: the rational tanh four lanes at a time',
    install: installTanhOnHeap,
    test: PACKAGE_TEST('wasmBlockKernels'),
  },
  {
    family: 'matmul',
    replaces: [tf._FusedMatMul],
    adds: [],
    takes:
      'float32, linear or relu, one bias per column, columns in fours: the product above, then bias and relu in place',
    install: installFusedMatMulOnHeap,
    test: PACKAGE_TEST('simdProduct'),
  },
  {
    family: 'matmul',
    replaces: [],
    adds: [names.DENSE, names.DENSE_GRAD, `${names.DENSE} gradient`],
    takes:
      'float32 [rows, depth] x [depth, cols], linear or ReLU: the product, then bias and ReLU in one pass; backward dz and the bias sum in one',
    install: installDenseOnHeap,
    test: PACKAGE_TEST('denseOnHeap'),
  },
  {
    family: 'pool',
    replaces: [],
    adds: [names.CHANNEL_POOLS, names.CHANNEL_POOLS_GRAD, names.SPATIAL_POOLS, names.SPATIAL_POOLS_GRAD],
    takes: 'float32 NHWC, channels in fours, with SIMD: one pass over the map each way',
    install: installAttentionPoolsOnHeap,
    test: APP_TEST('kernels/attentionPoolsOnHeap'),
  },
  {
    family: 'softmax-loss',
    replaces: [],
    adds: [names.CROSS_ENTROPY, names.CROSS_ENTROPY_GRAD],
    takes: 'float32 logits against int32 targets, in float64 loops',
    install: installCrossEntropyOnHeap,
    test: APP_TEST('train/crossEntropy'),
  },
  {
    family: 'data-movement',
    replaces: [tf.GatherV2],
    adds: [],
    takes: 'any dtype, in-range indices: one block copy per index',
    install: installGatherOnHeap,
    test: PACKAGE_TEST('wasmBlockKernels'),
  },
  {
    family: 'data-movement',
    replaces: [tf.Concat],
    adds: [],
    takes: 'any dtype: rows interleaved, short rows copied in a plain loop',
    install: installConcatOnHeap,
    test: PACKAGE_TEST('wasmBlockKernels'),
  },
  {
    family: 'data-movement',
    replaces: [tf.SplitV],
    adds: [],
    takes: 'any dtype, split along one axis: row by row',
    install: installSplitOnHeap,
    test: PACKAGE_TEST('wasmBlockKernels'),
  },
  {
    family: 'data-movement',
    replaces: [tf.Identity, tf.Cast],
    adds: [],
    takes: 'Identity, and a Cast to the same dtype: a second reference to the same bytes',
    install: installIdentityByReference,
    test: PACKAGE_TEST('wasmBlockKernels'),
  },
  {
    family: 'elementwise',
    replaces: [],
    adds: [`${tf.Mean} gradient`],
    takes: 'every mean: dy / n broadcast, no ones(x.shape) uploaded',
    install: installMeanGradByTile,
    test: PACKAGE_TEST('wasmBlockKernels'),
  },
  {
    family: 'elementwise',
    replaces: [],
    adds: [names.MAX_GRAD, `${tf.Max} gradient`],
    takes: 'float32 max over one run of axes: one pass, every tie routed',
    install: installMaxGradOnHeap,
    test: PACKAGE_TEST('wasmBlockKernels'),
  },
  {
    family: 'norm',
    replaces: [tf.FusedBatchNorm],
    adds: [names.BATCH_NORM_SUMS, names.BATCH_NORM_GRAD, `${tf.FusedBatchNorm} gradient`],
    takes: 'float32 NHWC, per-channel parameters, channels in fours, with SIMD',
    install: installBatchNormOnHeap,
    test: PACKAGE_TEST('batchNormOnHeap'),
  },
  {
    family: 'norm',
    replaces: [],
    adds: [names.BATCH_NORM_TRAINING, names.BATCH_NORM_TRAINING_GRAD],
    takes: 'float32 NHWC, channels in fours, with SIMD: batch moments and normalisation in one kernel each way',
    install: installBatchNormTraining,
    test: APP_TEST('kernels/batchNormTraining'),
  },
  {
    family: 'elementwise',
    replaces: [],
    adds: [names.DROPOUT_MASK],
    takes: 'float32 masks in fours: four xorshift32 lanes in SIMD, else one in TypeScript',
    install: installDropoutMask,
    test: APP_TEST('layers/dropout'),
  },
  {
    family: 'norm',
    replaces: [],
    adds: [names.LAYER_NORM, names.LAYER_NORM_GRAD],
    takes: 'float32 over the last axis, length in fours, with SIMD',
    install: installLayerNormOnHeap,
    test: APP_TEST('kernels/layerNormOnHeap'),
  },
  {
    family: 'conv',
    replaces: [],
    adds: [tf.Conv2DBackpropFilter],
    takes:
      'NHWC: from UNFOLD_FROM output channels, with SIMD, one product over unfolded patches; else a dilated convolution',
    thresholds: { UNFOLD_FROM },
    install: installConvFilterGradByConv,
    test: PACKAGE_TEST('convGradients'),
  },
  {
    family: 'conv',
    replaces: [tf.Conv2DBackpropInput],
    adds: [],
    takes: 'stride 1, NHWC: the full convolution with the turned filter on XNNPACK',
    install: installConvInputGradByConv,
    test: PACKAGE_TEST('convGradients'),
  },
  {
    family: 'conv',
    replaces: [tf.Conv2D, tf.Conv2DBackpropFilter, tf.Conv2DBackpropInput],
    adds: [],
    takes: 'one output channel, stride 1, float32, with SIMD: plane convolutions',
    install: installSingleChannelConv,
    test: PACKAGE_TEST('singleChannelConv'),
  },
  {
    family: 'conv',
    replaces: [tf.Conv2D, tf.Conv2DBackpropFilter, tf.Conv2DBackpropInput],
    adds: [],
    takes:
      'channels in and out from CHANNELS_FROM, with SIMD: 3 x 3 stride 1 by Winograd F(2 x 2, 3 x 3), others as implicit GEMM',
    thresholds: { CHANNELS_FROM },
    install: installImplicitGemmConv,
    test: PACKAGE_TEST('convGradients'),
  },
  {
    family: 'conv',
    replaces: [],
    adds: [tf.DepthwiseConv2dNativeBackpropFilter, tf.DepthwiseConv2dNativeBackpropInput],
    takes: "every case: tfjs' cpu kernel on copies of the inputs",
    install: installCpuFallbackKernels,
    test: PACKAGE_TEST('convGradients'),
  },
];
