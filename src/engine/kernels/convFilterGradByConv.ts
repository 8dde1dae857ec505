import * as tf from '@tensorflow/tfjs-core';

type KernelFunc = (args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap }) => tf.TensorInfo;

/** The padding tfjs applies before a convolution: [top, bottom, left, right]. */
function explicitPadding(
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

/**
 * Conv2DBackpropFilter (the weight gradient of every conv2d and conv1d) is not registered for wasm, so no
 * convolutional model could train there (shared/BACKENDS.md). It is itself a convolution:
 *
 *   dW[i, j, c, o] = sum_{b, y, x} xPadded[b, y*s + i, x*s + j, c] * dy[b, y, x, o]
 *
 * which is conv2d(input = xPadded transposed to [C, H, W, B], filter = dy transposed to [Ho, Wo, B, O],
 * stride 1, dilation s), cropped to the filter size and transposed back to [kh, kw, C, O]. This runs on wasm's
 * XNNPACK convolution; the kernel works on raw tensor data and frees every intermediate itself.
 */
export function installConvFilterGradByConv(backendName: string, fallback?: KernelFunc): void {
  if (tf.getKernel(tf.Conv2DBackpropFilter, backendName)) return;
  const kernel = (name: string) => {
    const found = tf.getKernel(name, backendName);
    if (!found) throw new Error(`${backendName} has no ${name} kernel`);
    return found.kernelFunc as KernelFunc;
  };
  const [conv2d, transpose, pad, slice] = [tf.Conv2D, tf.Transpose, tf.PadV2, tf.Slice].map(kernel) as KernelFunc[];

  tf.registerKernel({
    kernelName: tf.Conv2DBackpropFilter,
    backendName,
    kernelFunc: ({ inputs, backend: anyBackend, attrs }) => {
      const backend = anyBackend as tf.KernelBackend;
      const { x, dy } = inputs as unknown as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const { strides, pad: padding, dataFormat, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
      const [strideHeight, strideWidth] = typeof strides === 'number' ? [strides, strides] : strides;
      const [, inHeight, inWidth] = x.shape as number[];
      const [, outHeight, outWidth] = dy.shape as number[];
      const [filterHeight, filterWidth] = filterShape as number[];
      const sides =
        dataFormat === 'NHWC'
          ? explicitPadding(padding, [inHeight!, inWidth!], [outHeight!, outWidth!], [filterHeight!, filterWidth!], [strideHeight, strideWidth])
          : null;
      if (!sides) {
        if (fallback) return fallback({ inputs, backend, attrs: attrs ?? {} });
        throw new Error(`Conv2DBackpropFilter on ${backendName}: explicit padding and NCHW are not supported`);
      }
      const temporaries: tf.TensorInfo[] = [];
      const keep = (info: tf.TensorInfo) => (temporaries.push(info), info);
      try {
        const [top, bottom, left, right] = sides;
        const padded =
          top + bottom + left + right > 0
            ? keep(pad({ inputs: { x }, backend, attrs: { paddings: [[0, 0], [top, bottom], [left, right], [0, 0]], constantValue: 0 } }))
            : x;
        const input = keep(transpose({ inputs: { x: padded }, backend, attrs: { perm: [3, 1, 2, 0] } })); // [C, Hp, Wp, B]
        const filter = keep(transpose({ inputs: { x: dy }, backend, attrs: { perm: [1, 2, 0, 3] } })); // [Ho, Wo, B, O]
        const full = keep(
          conv2d({
            inputs: { x: input, filter },
            backend,
            attrs: { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [strideHeight, strideWidth], dimRoundingMode: undefined as never },
          }),
        ); // [C, >= kh, >= kw, O]
        const cropped =
          full.shape[1] === filterHeight && full.shape[2] === filterWidth
            ? full
            : keep(slice({ inputs: { x: full }, backend, attrs: { begin: [0, 0, 0, 0], size: [-1, filterHeight!, filterWidth!, -1] } }));
        return transpose({ inputs: { x: cropped }, backend, attrs: { perm: [1, 2, 0, 3] } }); // [kh, kw, C, O]
      } finally {
        for (const info of temporaries) backend.disposeData(info.dataId);
      }
    },
  });
}
