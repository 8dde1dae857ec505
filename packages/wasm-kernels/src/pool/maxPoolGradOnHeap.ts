import * as tf from '@tensorflow/tfjs-core';
import { heapSimd } from '../heap/heapSimd';
import { registerOnHeap } from '../heap/registerOnHeap';

/**
 * wasm's MaxPoolGrad is a scalar loop over every input element and window (about 30 ms for a [32, 32, 32, 32] map,
 * twice a CNN + CBAM step). Here each output's gradient goes to its window's maximum in one pass over the windows,
 * channels innermost (contiguous in NHWC): the first maximum in scan order, as tfjs' cpu kernel picks it, and summed
 * where windows overlap. Where the windows tile the input (a 2 x 2 pool on even sizes) each element is written once
 * (maxPoolGradWat.ts: a [32, 32, 32, 32] map 2.9 -> 1.1 ms, unrolled for 2 x 2).
 */
/** The windows tile the input: stride = window, no padding, the input a whole number of windows each way. */
function tiles(info: tf.backend_util.Conv2DInfo): boolean {
  const { strideHeight, strideWidth, filterHeight, filterWidth, padInfo, inHeight, inWidth } = info;
  return (
    strideHeight === filterHeight &&
    strideWidth === filterWidth &&
    padInfo.top === 0 &&
    padInfo.left === 0 &&
    inHeight === info.outHeight * filterHeight &&
    inWidth === info.outWidth * filterWidth
  );
}

export function installMaxPoolGradOnHeap(backendName: string): void {
  registerOnHeap(tf.MaxPoolGrad, backendName, (inputs, attrs, backend) => {
    const { dy, input } = inputs as unknown as { dy: tf.TensorInfo; input: tf.TensorInfo };
    const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolGradAttrs;
    if (input.dtype !== 'float32') return null;
    const info = tf.backend_util.computePool2DInfo(
      input.shape as [number, number, number, number],
      filterSize,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
    const { strideHeight, strideWidth, filterHeight, filterWidth, padInfo } = info;
    const dx = backend.makeOutput(input.shape, 'float32');
    const simd = heapSimd();
    const [xAt, dyAt, dxAt] = simd ? ([input, dy, dx].map(simd.address) as [number, number, number]) : [0, 0, 0];
    if (simd && channels % 4 === 0 && tiles(info)) {
      // Every input element in exactly one window: each written once, nothing zeroed first.
      simd.maxPoolGradTiled(xAt, dyAt, dxAt, batchSize * outHeight, outWidth, channels, filterHeight, filterWidth);
      return dx;
    }
    const [x, gradient, target] = [input, dy, dx].map((t) => backend.typedArrayFromHeap(t) as Float32Array) as [
      Float32Array,
      Float32Array,
      Float32Array,
    ];
    target.fill(0);
    if (simd && channels % 4 === 0) {
      // Four channels at a time in the WebAssembly module.
      simd.maxPoolGrad(
        xAt,
        dyAt,
        dxAt,
        batchSize,
        inHeight,
        inWidth,
        channels,
        outHeight,
        outWidth,
        filterHeight,
        filterWidth,
        strideHeight,
        strideWidth,
        padInfo.top,
        padInfo.left,
      );
      return dx;
    }
    const best = new Float32Array(channels);
    const at = new Int32Array(channels);
    for (let b = 0; b < batchSize; b++) {
      for (let oh = 0; oh < outHeight; oh++) {
        for (let ow = 0; ow < outWidth; ow++) {
          best.fill(-Infinity);
          at.fill(-1);
          for (let fh = 0; fh < filterHeight; fh++) {
            const h = oh * strideHeight - padInfo.top + fh;
            if (h < 0 || h >= inHeight) continue;
            for (let fw = 0; fw < filterWidth; fw++) {
              const w = ow * strideWidth - padInfo.left + fw;
              if (w < 0 || w >= inWidth) continue;
              const base = ((b * inHeight + h) * inWidth + w) * channels;
              for (let c = 0; c < channels; c++) {
                const value = x[base + c]!;
                if (value > best[c]!) {
                  best[c] = value;
                  at[c] = base + c;
                }
              }
            }
          }
          const from = ((b * outHeight + oh) * outWidth + ow) * channels;
          for (let c = 0; c < channels; c++) if (at[c]! >= 0) target[at[c]!]! += gradient[from + c]!;
        }
      }
    }
    return dx;
  });
}
