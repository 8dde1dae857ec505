import * as tf from '@tensorflow/tfjs-core';
import { registerOnHeap } from '../heap/registerOnHeap';
import { convolutionPadding, requireKernel, type KernelFunc } from './convKernelParts';

/**
 * wasm's Conv2DBackpropInput (the input gradient of every convolution but the first) is a scalar loop
 * (a CNN step took 407 ms with it and 252 ms without it when measured). For stride 1 it is the "full" convolution of dy with the
 * filter turned 180 degrees and its channel axes swapped:
 *
 *   dx = conv2d(pad(dy, kh-1-top, kh-1-bottom, kw-1-left, kw-1-right), reverse_{h,w}(W) as [kh, kw, O, C], 'valid')
 *
 * which runs on XNNPACK. Other strides keep the original kernel.
 */
const wrapped = new Set<string>();

export function installConvInputGradByConv(backendName: string): void {
  if (!tf.getKernel(tf.Conv2DBackpropInput, backendName) || wrapped.has(backendName)) return; // wrapping twice would only add a layer
  wrapped.add(backendName);
  const [conv2d, transpose, pad, reverse] = [tf.Conv2D, tf.Transpose, tf.PadV2, tf.Reverse].map((name) =>
    requireKernel(name, backendName),
  ) as KernelFunc[];
  registerOnHeap(tf.Conv2DBackpropInput, backendName, (inputs, attrs, backend) => {
    const { dy, filter } = inputs as unknown as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const { strides, pad: padding, dataFormat, inputShape } = attrs as unknown as tf.Conv2DBackpropInputAttrs;
    const [strideHeight, strideWidth] = typeof strides === 'number' ? [strides, strides] : strides;
    const [filterHeight, filterWidth] = filter.shape as number[];
    const [, inHeight, inWidth] = inputShape;
    const stride1 = strideHeight === 1 && strideWidth === 1;
    // The forward pass's padding: with stride 1, 'same' keeps the size, so the output is as large as the input.
    const sides = convolutionPadding(
      padding,
      [inHeight!, inWidth!],
      [inHeight!, inWidth!],
      [filterHeight!, filterWidth!],
      [1, 1],
    );
    if (!stride1 || !sides || dataFormat !== 'NHWC') return null;
    const [top, bottom, left, right] = sides;
    const temporaries: tf.TensorInfo[] = [];
    const keep = (info: tf.TensorInfo) => (temporaries.push(info), info);
    try {
      const paddings = [
        [0, 0],
        [filterHeight! - 1 - top, filterHeight! - 1 - bottom],
        [filterWidth! - 1 - left, filterWidth! - 1 - right],
        [0, 0],
      ];
      const padded = keep(pad({ inputs: { x: dy }, backend, attrs: { paddings, constantValue: 0 } }));
      const flipped = keep(reverse({ inputs: { x: filter }, backend, attrs: { dims: [0, 1] } }));
      const swapped = keep(transpose({ inputs: { x: flipped }, backend, attrs: { perm: [0, 1, 3, 2] } })); // [kh, kw, O, C]
      const dx = conv2d({
        inputs: { x: padded, filter: swapped },
        backend,
        attrs: {
          strides: [1, 1],
          pad: 'valid',
          dataFormat: 'NHWC',
          dilations: [1, 1],
          dimRoundingMode: undefined as never,
        },
      });
      if (dx.shape[1] !== inHeight || dx.shape[2] !== inWidth) {
        backend.disposeData(dx.dataId);
        return null;
      }
      return dx;
    } finally {
      for (const info of temporaries) backend.disposeData(info.dataId);
    }
  });
}
