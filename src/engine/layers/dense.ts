import * as tf from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types';
import { DENSE, type DenseAttrs } from '@attention-workbench/wasm-kernels';
import { tfjsLayerClass } from './tfjsLayerClass';

type DenseArgs = Parameters<typeof layers.dense>[0];

const TfjsDense = tfjsLayerClass<DenseArgs>('Dense');

/** The parts of tfjs-layers' Dense that its call reads (private there). */
interface DenseInternals {
  kernel: { read(): tf.Tensor } | null;
  bias: { read(): tf.Tensor } | null;
  activation: { getClassName(): string } | null;
  invokeCallHook(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): void;
}

/**
 * tfjs-layers' Dense (act(x W + b) over the last axis), run as the kernels package's DENSE where that kernel is
 * registered for the active backend (wasm) and the activation is linear or ReLU: one kernel each way where tfjs runs
 * three forward and about ten backward in training (it fuses the bias and activation only while no gradient is
 * recorded). Same numbers as tfjs' layer, same class name and config, so a saved model is unchanged and loads with
 * or without the workbench's layers; other activations and backends run tfjs' layer exactly.
 */
export class Dense extends TfjsDense {
  static readonly className = 'Dense';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const self = this as unknown as DenseInternals;
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    const activation = self.activation?.getClassName() ?? 'linear';
    const fused =
      input !== undefined &&
      (!Array.isArray(inputs) || inputs.length === 1) &&
      input.dtype === 'float32' &&
      self.kernel !== null &&
      (activation === 'linear' || activation === 'relu') &&
      tf.getKernel(DENSE, tf.getBackend()) !== undefined;
    if (!fused) return super.call(inputs, kwargs);
    return tf.tidy(() => {
      self.invokeCallHook(inputs, kwargs);
      const kernel = self.kernel!.read();
      const depth = input.shape.at(-1)!;
      const x = input.rank === 2 ? input : tf.reshape(input, [-1, depth]);
      const attrs: DenseAttrs = { activation: activation as DenseAttrs['activation'] };
      const inputsMap: tf.NamedTensorMap = { x, kernel, ...(self.bias ? { bias: self.bias.read() } : {}) };
      const y = tf.engine().runKernel(DENSE, inputsMap, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
      return input.rank === 2 ? y : tf.reshape(y, [...input.shape.slice(0, -1), kernel.shape[1]!]);
    });
  }
}

tf.serialization.registerClass(Dense);
