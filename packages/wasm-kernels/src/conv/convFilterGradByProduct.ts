import type * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc } from './convKernelParts';
import { heapSimd } from '../heap/heapSimd';
import { isWasmHeapBackend, viewAs } from '../heap/wasmHeap';

/**
 * Output channels from which the weight gradient is one product over unfolded patches rather than a dilated
 * convolution. There XNNPACK packs dy, the convolution's "filter", at ~20 ns a float; a product packs it at ~7 and
 * runs faster, and that repays writing the patches out unless dy is thin (measured when they were written in
 * JavaScript: a first layer on RGB, 32 channels out, 34 -> 10 ms; 3x3, 32 -> 64 channels 37 -> 32; a 1-D
 * convolution over 64 features 7.5 -> 5.6; CBAM's 7x7 spatial gate, one channel out, 6 -> 24, so it keeps the
 * convolution).
 */
export const UNFOLD_FROM = 16;

/**
 * dW[i, j, c, o] = sum_p patches[p, (i, j, c)] * dy[p, o], p = (b, y, x) over the output positions, with
 * patches[(b, y, x), (i, j, c)] = x[b, y*sh + i - top, x*sw + j - left, c] (0 in the padding): a patch is kh runs
 * of kw * C floats that lie together in x, so the unfolding is block copies, and the product patches^T dy reads
 * the patches transposed where they lie (fastMatMul's SIMD product), dy as it lies.
 */
export function filterGradByProduct(
  backend: tf.KernelBackend,
  matMul: KernelFunc,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  [filterHeight, filterWidth]: [number, number],
  [strideHeight, strideWidth]: [number, number],
  [top, left]: [number, number],
): tf.TensorInfo | null {
  if (!isWasmHeapBackend(backend) || x.dtype !== 'float32' || dy.dtype !== 'float32') return null;
  const [batch, height, width, channels] = x.shape as [number, number, number, number];
  const [, outHeight, outWidth, outChannels] = dy.shape as [number, number, number, number];
  const rows = filterHeight * filterWidth * channels;
  const positions = batch * outHeight * outWidth;
  // Without the SIMD module the dilated convolution serves (convFilterGradByConv.ts).
  const simd = heapSimd();
  if (!simd || outChannels < UNFOLD_FROM || positions === 0) return null;
  const patches = backend.makeOutput([1, positions, rows], 'float32');
  const [xAt, patchesAt] = [simd.address(x), simd.address(patches)];
  simd.unfold(
    ...[xAt, patchesAt, batch, height, width, channels, outHeight, outWidth],
    ...([filterHeight, filterWidth, strideHeight, strideWidth, top, left] as const),
  );
  try {
    const product = matMul({
      inputs: { a: patches, b: viewAs(dy, [1, positions, outChannels]) },
      backend,
      attrs: { transposeA: true, transposeB: false } as unknown as tf.NamedAttrMap,
    });
    return { ...product, shape: [filterHeight, filterWidth, channels, outChannels] };
  } finally {
    backend.disposeData(patches.dataId);
  }
}
