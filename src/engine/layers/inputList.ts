import type * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@tensorflow/tfjs-layers';

/**
 * tfjs-layers hands a layer applied to a one-element list a bare shape (and a bare tensor), not a list of one: a
 * self-attention layer without a padding mask sees [B, T, D] where it expects [[B, T, D]]. Layers with optional
 * inputs read them through these two, so both forms mean the same.
 */
export function shapeList(inputShape: Shape | Shape[]): Shape[] {
  return Array.isArray(inputShape[0]) ? (inputShape as Shape[]) : [inputShape as Shape];
}

export function tensorList(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
  return Array.isArray(inputs) ? inputs : [inputs];
}
