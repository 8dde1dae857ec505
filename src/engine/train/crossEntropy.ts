import * as tf from '@tensorflow/tfjs-core';
import { CROSS_ENTROPY, CROSS_ENTROPY_GRAD, type CrossEntropyAttrs } from '@attention-workbench/wasm-kernels';

/**
 * Softmax cross-entropy against integer targets as one kernel each way, where the backend registers them (the wasm
 * backend does, through packages/wasm-kernels):
 *
 *   loss = sum_r w_r * (lse_r - sum_c y_rc * x_rc),   lse_r = log sum_c exp x_rc,   y = (1 - s) onehot + s / C
 *   dx_rc = dy * w_r * (p_rc - y_rc),                  p = softmax(x)
 *
 * with w_r = 1 / N, or per token 1 / (real tokens) where the target is not padding (0) and 0 where it is: the same
 * loss and gradient as taskLoss composes from tf.losses.softmaxCrossEntropy (one-hot, log-sum-exp, the weighted
 * mean: about twenty kernel calls each way, a fifth of a small model's step). Null where the kernels are absent.
 */

export function fusedCrossEntropy(logits: tf.Tensor, targets: tf.Tensor, attrs: CrossEntropyAttrs): tf.Scalar | null {
  const backend = tf.getBackend();
  if (!tf.getKernel(CROSS_ENTROPY, backend) || logits.dtype !== 'float32' || targets.dtype !== 'int32') return null;
  if (targets.size * logits.shape.at(-1)! !== logits.size) return null;
  const engine = tf.engine();
  const named = attrs as unknown as tf.NamedAttrMap;
  const loss = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const [value, probs, weights] = engine.runKernel(CROSS_ENTROPY, { logits: x, targets }, named) as tf.Tensor[];
    save([probs!, weights!]);
    return {
      value: value as tf.Scalar,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) =>
        engine.runKernel(
          CROSS_ENTROPY_GRAD,
          { probs: saved[0]!, weights: saved[1]!, targets, dy: dy as tf.Tensor },
          named,
        ) as tf.Tensor,
    };
  });
  return loss(logits) as tf.Scalar;
}
