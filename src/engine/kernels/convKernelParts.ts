import * as tf from '@tensorflow/tfjs-core';

/** A kernel function called directly, on raw tensor data. */
export type KernelFunc = (args: {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs: tf.NamedAttrMap;
}) => tf.TensorInfo;

/** The kernel function `name` of a backend; the convolution rewrites are built from these. */
export function requireKernel(name: string, backendName: string): KernelFunc {
  const found = tf.getKernel(name, backendName);
  if (!found) throw new Error(`${backendName} has no ${name} kernel`);
  return found.kernelFunc as KernelFunc;
}

/** The padding tfjs applies before a convolution: [top, bottom, left, right], or null for explicit per-side padding. */
export function convolutionPadding(
  pad: tf.Conv2DBackpropFilterAttrs['pad'],
  [inHeight, inWidth]: [number, number],
  [outHeight, outWidth]: [number, number],
  [filterHeight, filterWidth]: [number, number],
  [strideHeight, strideWidth]: [number, number],
): [number, number, number, number] | null {
  if (pad === 'valid') return [0, 0, 0, 0];
  if (typeof pad === 'number') return [pad, pad, pad, pad];
  if (pad === 'same') {
    // Same rule as tfjs' computeConv2DInfo: the odd pixel goes to the bottom/right.
    const alongHeight = Math.max(0, (outHeight - 1) * strideHeight + filterHeight - inHeight);
    const alongWidth = Math.max(0, (outWidth - 1) * strideWidth + filterWidth - inWidth);
    const top = Math.floor(alongHeight / 2);
    const left = Math.floor(alongWidth / 2);
    return [top, alongHeight - top, left, alongWidth - left];
  }
  return null; // explicit per-side padding: rare, left to a slower path
}
