import * as tf from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types';
import { DROPOUT_MASK } from '@attention-workbench/wasm-kernels';
import { nextDropoutSeeds } from './dropoutSeeds';
import { tfjsLayerClass } from './tfjsLayerClass';

/**
 * tf.dropout(x, rate), as one Multiply by a mask from the kernels package's DROPOUT_MASK where that kernel is
 * registered for the active backend (wasm); tfjs' own elsewhere. The mask takes no input, so the gradient tape never
 * reaches it. In a run the mask's seeds come from the run's seed and step (dropoutSeeds.ts).
 */
export function dropout(x: tf.Tensor, rate: number): tf.Tensor {
  const seeds = nextDropoutSeeds();
  if (rate <= 0 || rate >= 1 || x.dtype !== 'float32' || !tf.getKernel(DROPOUT_MASK, tf.getBackend())) {
    return seeds ? tf.dropout(x, rate, undefined, seeds[0]) : tf.dropout(x, rate);
  }
  return tf.tidy(() => {
    const attrs = { shape: x.shape, rate, ...(seeds ? { seeds } : {}) };
    const mask = tf.engine().runKernel(DROPOUT_MASK, {}, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
    return maskedBy(mask)(x);
  });
}

/**
 * x times the mask, whose gradient is dy times the mask: the tape keeps the mask alone, where Multiply's gradient
 * keeps both operands and casts one (two kernel calls of tfjs' engine fewer a dropout, ~5 us each).
 */
const maskedBy = (mask: tf.Tensor) =>
  tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([mask]);
    return { value: tf.mul(x, mask), gradFunc: (dy: tf.Tensor, [kept]: tf.Tensor[]) => tf.mul(dy, kept!) };
  });

type DropoutArgs = Parameters<typeof layers.dropout>[0];

const TfjsDropout = tfjsLayerClass<DropoutArgs>('Dropout');

/**
 * tfjs-layers' Dropout (Srivastava et al. 2014: in training each element is zeroed with probability `rate` and the
 * rest scaled by 1 / (1 - rate); the identity in inference), whose mask comes from the kernels package's
 * DROPOUT_MASK where that kernel is registered (the wasm backend): tfjs draws the mask one number at a time in JavaScript. Same class name
 * and config, so a saved model is unchanged and loads with or without the workbench's layers; with a noise shape or
 * a seed it is tfjs' layer exactly.
 */
export class Dropout extends TfjsDropout {
  static readonly className = 'Dropout';
  private readonly dropRate: number;
  private readonly plain: boolean;

  constructor(args: DropoutArgs) {
    super(args);
    this.dropRate = Math.max(Math.min(args.rate, 1), 0);
    this.plain = args.noiseShape == null && args.seed == null;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    const active = this.dropRate > 0 && this.dropRate < 1 && kwargs['training'] === true;
    if (!active || !this.plain || !input || (Array.isArray(inputs) && inputs.length !== 1)) {
      return super.call(inputs, kwargs);
    }
    return dropout(input, this.dropRate);
  }
}

tf.serialization.registerClass(Dropout);
