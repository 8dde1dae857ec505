import * as tf from '@tensorflow/tfjs-core';
import { registerOnHeap } from '../heap/registerOnHeap';
import { convolutionPadding, requireKernel, type KernelFunc } from './convKernelParts';
import { filterGradByProduct } from './convFilterGradByProduct';

/**
 * Conv2DBackpropFilter (the weight gradient of every conv2d and conv1d) is not registered for wasm, so no
 * convolutional model could train there (measured when it was written). It is itself a convolution:
 *
 *   dW[i, j, c, o] = sum_{b, y, x} xPadded[b, y*s + i, x*s + j, c] * dy[b, y, x, o]
 *
 * which is conv2d(input = xPadded transposed to [C, H, W, B], filter = dy transposed to [Ho, Wo, B, O],
 * stride 1, dilation s), cropped to the filter size and transposed back to [kh, kw, C, O]. This runs on wasm's
 * XNNPACK convolution; the kernel works on raw tensor data and frees every intermediate itself. A layer with 16 or more
 * output channels takes one product over unfolded patches instead (convFilterGradByProduct.ts).
 */
export function installConvFilterGradByConv(backendName: string): void {
  if (tf.getKernel(tf.Conv2DBackpropFilter, backendName)) return;
  const [conv2d, transpose, pad, slice, matMul] = [tf.Conv2D, tf.Transpose, tf.PadV2, tf.Slice, tf.BatchMatMul].map(
    (name) => requireKernel(name, backendName),
  ) as KernelFunc[];

  registerOnHeap(tf.Conv2DBackpropFilter, backendName, (inputs, attrs, backend) => {
    const { x, dy } = inputs as unknown as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const { strides, pad: padding, dataFormat, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    const [strideHeight, strideWidth] = typeof strides === 'number' ? [strides, strides] : strides;
    const [, inHeight, inWidth] = x.shape as number[];
    const [, outHeight, outWidth] = dy.shape as number[];
    const [filterHeight, filterWidth] = filterShape as number[];
    const sides =
      dataFormat === 'NHWC'
        ? convolutionPadding(
            padding,
            [inHeight!, inWidth!],
            [outHeight!, outWidth!],
            [filterHeight!, filterWidth!],
            [strideHeight, strideWidth],
          )
        : null;
    if (!sides) throw new Error(`Conv2DBackpropFilter on ${backendName}: explicit padding and NCHW are not supported`);
    const [top, , left] = sides;
    const unfolded = filterGradByProduct(
      backend,
      matMul!,
      x,
      dy,
      [filterHeight!, filterWidth!],
      [strideHeight, strideWidth],
      [top, left],
    );
    if (unfolded) return unfolded;
    const temporaries: tf.TensorInfo[] = [];
    const keep = (info: tf.TensorInfo) => (temporaries.push(info), info);
    try {
      const [top, bottom, left, right] = sides;
      const padded =
        top + bottom + left + right > 0
          ? keep(
              pad({
                inputs: { x },
                backend,
                attrs: {
                  paddings: [
                    [0, 0],
                    [top, bottom],
                    [left, right],
                    [0, 0],
                  ],
                  constantValue: 0,
                },
              }),
            )
          : x;
      const input = keep(transpose({ inputs: { x: padded }, backend, attrs: { perm: [3, 1, 2, 0] } })); // [C, Hp, Wp, B]
      const filter = keep(transpose({ inputs: { x: dy }, backend, attrs: { perm: [1, 2, 0, 3] } })); // [Ho, Wo, B, O]
      const full = keep(
        conv2d({
          inputs: { x: input, filter },
          backend,
          attrs: {
            strides: [1, 1],
            pad: 'valid',
            dataFormat: 'NHWC',
            dilations: [strideHeight, strideWidth],
            dimRoundingMode: undefined as never,
          },
        }),
      ); // [C, >= kh, >= kw, O]
      const cropped =
        full.shape[1] === filterHeight && full.shape[2] === filterWidth
          ? full
          : keep(
              slice({
                inputs: { x: full },
                backend,
                attrs: { begin: [0, 0, 0, 0], size: [-1, filterHeight!, filterWidth!, -1] },
              }),
            );
      return transpose({ inputs: { x: cropped }, backend, attrs: { perm: [1, 2, 0, 3] } }); // [kh, kw, C, O]
    } finally {
      for (const info of temporaries) backend.disposeData(info.dataId);
    }
  });
}
