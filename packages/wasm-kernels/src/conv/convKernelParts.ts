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

/** The attributes of a convolution or of its gradients that fix its geometry. */
export interface ConvGeometryAttrs {
  strides: number | [number, number];
  pad: unknown;
  dataFormat?: string;
  dimRoundingMode?: unknown;
  dilations?: number | [number, number];
}

/** tfjs' geometry of an NHWC convolution with 'same', 'valid' or uniform padding; null for anything else. */
export function conv2dGeometry(
  inShape: number[],
  filterShape: number[],
  attrs: ConvGeometryAttrs,
): tf.backend_util.Conv2DInfo | null {
  if (attrs.dataFormat && attrs.dataFormat !== 'NHWC') return null;
  if (!(attrs.pad === 'same' || attrs.pad === 'valid' || typeof attrs.pad === 'number')) return null;
  return tf.backend_util.computeConv2DInfo(
    inShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad as 'same' | 'valid' | number,
    attrs.dimRoundingMode as 'floor' | undefined,
  );
}
