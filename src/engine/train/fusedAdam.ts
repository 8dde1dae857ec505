import * as tf from '@tensorflow/tfjs-core';
import { ADAM_UPDATE, fusedAdamLimit, type AdamUpdateAttrs } from '@attention-workbench/wasm-kernels';

/** The same step as tfjs ops, for weights larger than the kernel is worth calling for (fusedAdamLimit). */
function composedUpdate(value: tf.Tensor, m: tf.Tensor, v: tf.Tensor, g: tf.Tensor, attrs: AdamUpdateAttrs) {
  const { beta1, beta2, epsilon, learningRate, correction1, correction2 } = attrs;
  const first = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
  const second = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
  const step = tf.div(tf.mul(first, learningRate / correction1), tf.add(tf.sqrt(tf.div(second, correction2)), epsilon));
  return [tf.sub(value, step), first, second];
}

interface AdamState {
  accumulatedFirstMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  accumulatedSecondMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
}

/**
 * Adam with one kernel call per variable where the backend registers ADAM_UPDATE (the wasm backend does, one loop
 * over the heap): tfjs' AdamOptimizer composes about 15 kernel calls per variable, each paying wasm's fixed cost per
 * call, which is a fifth of a small model's step. Same state as tfjs' Adam (moments named `<weight>/m` and
 * `<weight>/v`, the same iteration count), so checkpoints and getWeights/setWeights are unchanged; elsewhere it is
 * tfjs' Adam. Weights above fusedAdamLimit() elements take the same step as composed kernels.
 *
 *   m <- b1 m + (1 - b1) g        v <- b2 v + (1 - b2) g^2
 *   w <- w - lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
 */
export class FusedAdam extends tf.AdamOptimizer {
  constructor(learningRate: number, beta1 = 0.9, beta2 = 0.999) {
    super(learningRate, beta1, beta2);
  }

  override applyGradients(variableGradients: Parameters<tf.AdamOptimizer['applyGradients']>[0]): void {
    if (!tf.getKernel(ADAM_UPDATE, tf.getBackend())) {
      super.applyGradients(variableGradients);
      return;
    }
    const state = this as unknown as AdamState;
    const named = Array.isArray(variableGradients)
      ? variableGradients.map((entry) => [entry.name, entry.tensor] as const)
      : Object.entries(variableGradients);
    // The iteration count is the step count so far (setWeights restores it): this step is t = iterations + 1.
    const t = this.iterations + 1;
    const attrs: AdamUpdateAttrs = {
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      learningRate: this.learningRate,
      correction1: 1 - this.beta1 ** t,
      correction2: 1 - this.beta2 ** t,
    };
    tf.tidy(() => {
      named.forEach(([name, gradient], i) => {
        const value = tf.engine().registeredVariables[name]!;
        const moment = (list: AdamState['accumulatedFirstMoment'], suffix: string) =>
          (list[i] ??= {
            originalName: `${name}/${suffix}`,
            variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
          }).variable;
        const m = moment(state.accumulatedFirstMoment, 'm');
        const v = moment(state.accumulatedSecondMoment, 'v');
        if (gradient == null) return;
        const [newValue, newM, newV] =
          value.size <= fusedAdamLimit()
            ? (tf
                .engine()
                .runKernel(ADAM_UPDATE, { value, m, v, gradient }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[])
            : composedUpdate(value, m, v, gradient, attrs);
        m.assign(newM!);
        v.assign(newV!);
        value.assign(newValue!);
      });
      // Kept as tfjs' Adam keeps them, so that a fallback or a saved state reads the same.
      state.accBeta1.assign(tf.scalar(this.beta1 ** (t + 1)));
      state.accBeta2.assign(tf.scalar(this.beta2 ** (t + 1)));
    });
    this.incrementIterations();
  }
}
