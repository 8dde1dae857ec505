/**
 * The kernels this package adds to tfjs-backend-wasm, by name, with the attributes a caller passes: what a model's
 * layers run through tf.engine().runKernel where the backend registers them, and compose from tfjs ops where it does
 * not (the native and WebGPU backends). Every added kernel is named here and nowhere else, so that a program using
 * them imports this module, and this package never imports that program.
 */

/** softmax(x) row by row, backward: dx = y (dy - sum(dy y)). */
export const SOFTMAX_GRAD = 'WorkbenchSoftmaxGrad';
/**
 * Softmax cross-entropy against integer targets, each way (CrossEntropyAttrs):
 *   loss = sum_r w_r (lse_r - sum_c y_rc x_rc)     y = (1 - s) onehot + s / C     dx_rc = dy w_r (p_rc - y_rc)
 * with w_r = 1 / N, or per token 1 / (real tokens) where the target is not padding (0) and 0 where it is.
 */
export const CROSS_ENTROPY = 'WorkbenchCrossEntropy';
export const CROSS_ENTROPY_GRAD = 'WorkbenchCrossEntropyGrad';
/**
 * A dense layer's forward pass, x [rows, depth] W [depth, cols] (+ bias [cols]), then ReLU or nothing (DenseAttrs),
 * and its gradient through the bias and the activation: for 'relu' [dz, db] with dz = y > 0 ? dy : 0, for
 * 'linear' [db] (dz is dy); db is dz summed over the rows. The products of the backward pass stay BatchMatMul.
 */
export const DENSE = 'WorkbenchDense';
export const DENSE_GRAD = 'WorkbenchDenseGrad';
/** One Adam step of one variable: value, m, v, gradient in, the new three out (AdamUpdateAttrs). */
export const ADAM_UPDATE = 'WorkbenchAdamUpdate';
/** A dropout mask of `keep` probability, scaled by 1 / keep, drawn from a seed. */
export const DROPOUT_MASK = 'WorkbenchDropoutMask';
/** Max's gradient along one axis: dy routed to every element equal to its row's maximum. */
export const MAX_GRAD = 'WorkbenchMaxGrad';
/** Layer normalisation over the last axis, each way. */
export const LAYER_NORM = 'WorkbenchLayerNorm';
export const LAYER_NORM_GRAD = 'WorkbenchLayerNormGrad';
/** Batch normalisation's per-channel sums and gradient, and its training forward pass (batch moments) each way. */
export const BATCH_NORM_SUMS = 'WorkbenchBatchNormSums';
export const BATCH_NORM_GRAD = 'WorkbenchBatchNormGrad';
export const BATCH_NORM_TRAINING = 'WorkbenchBatchNormTraining';
export const BATCH_NORM_TRAINING_GRAD = 'WorkbenchBatchNormTrainingGrad';
/**
 * The pools CBAM and spatial attention take of a map x [B, H, W, C], and their gradient:
 *   channelPools(x) = [mean_c x, max_c x]  [B, H, W, 2]      spatialPools(x) = [mean_hw x ; max_hw x]  [2B, C]
 *   dx = d(mean) / n + d(max) at every element equal to its maximum
 */
export const CHANNEL_POOLS = 'WorkbenchChannelPools';
export const CHANNEL_POOLS_GRAD = 'WorkbenchChannelPoolsGrad';
export const SPATIAL_POOLS = 'WorkbenchSpatialPools';
export const SPATIAL_POOLS_GRAD = 'WorkbenchSpatialPoolsGrad';
/**
 * One LSTM time step (gate order i, f, g, o as in Keras and PyTorch), each way, on [B, 4H] pre-activations:
 *   z = xz + hz (hz absent at the first step)    i, f, o = gate(z_i, z_f, z_o)    g = tanh(z_g)
 *   c = f c_prev + i g                           h = o tanh(c)
 */
export const LSTM_STEP = 'WorkbenchLstmStep';
export const LSTM_STEP_GRAD = 'WorkbenchLstmStepGrad';
/** A whole direction's recurrence, time-major, each way: every step's h_prev U and the step above (LstmRecurrenceAttrs). */
export const LSTM_RECURRENCE = 'WorkbenchLstmRecurrence';
export const LSTM_RECURRENCE_GRAD = 'WorkbenchLstmRecurrenceGrad';

/** An LSTM's gate function: Keras' default sigmoid, or its older hard sigmoid. */
export type GateActivation = 'sigmoid' | 'hardSigmoid';

export interface LstmRecurrenceAttrs {
  reverse: boolean;
  activation: GateActivation;
  returnSequences: boolean;
}

export interface DenseAttrs {
  activation: 'linear' | 'relu';
}

export interface CrossEntropyAttrs {
  /** Label smoothing s. */
  smoothing: number;
  /** Per token: target 0 is padding, left out. */
  masked: boolean;
}

export interface AdamUpdateAttrs {
  beta1: number;
  beta2: number;
  epsilon: number;
  learningRate: number;
  /** 1 - beta1^t and 1 - beta2^t: the bias corrections of this step t (from 1). */
  correction1: number;
  correction2: number;
}
