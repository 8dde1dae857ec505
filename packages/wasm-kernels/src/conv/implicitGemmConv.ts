import * as tf from '@tensorflow/tfjs-core';
import { conv2dGeometry, type ConvGeometryAttrs } from './convKernelParts';
import { heapSimd, type HeapSimd } from '../heap/heapSimd';
import { type WasmHeapBackend } from '../heap/wasmHeap';
import { registerOnHeap } from '../heap/registerOnHeap';
import { winogradConvolution, winogradFilterGradient, winogradServes } from './winogradConv';

/**
 * A convolution and both its gradients as products over patches that are never written out (convGemmWat.ts):
 * the forward pass and the input gradient replace XNNPACK's convolution, the weight gradient the unfolded product
 * (convFilterGradByProduct.ts). A CNN + CBAM's 3 x 3 layer [32, 16, 16, 32] -> 64 channels, forward, input and
 * weight gradient: 8.1, 8.4 and 8.7 ms before (~36 GFLOP/s), 5.9, 5.7 and 6.0 here (~51); the whole step 75 -> 61 ms.
 *
 * A 3 x 3, stride-1 convolution with channels in fours goes by Winograd's F(2 x 2, 3 x 3) instead (winogradConv.ts),
 * all three ways. For channels in and out from CHANNELS_FROM, NHWC, no dilation; the input
 * gradient for stride 1 (where it is the convolution of dy with the filter turned 180 degrees and its channel axes
 * swapped, padded by kh - 1 - top...); the weight gradient for input channels a multiple of 4. Everything else keeps
 * the registered kernels.
 */
type Info = tf.backend_util.Conv2DInfo;

/**
 * Channels in and out from which the products run here: thinner layers (a first layer on RGB, CBAM's one-channel
 * gate) keep XNNPACK and the plane convolutions, where a block's few multiply-adds per tap would not repay it.
 */
export const CHANNELS_FROM = 8;

/** Positions of the weight gradient's chunk (whole images), so that its x and dy stay in the L2 cache. */
const CHUNK_POSITIONS = 256;

function convInfo(inShape: number[], filterShape: number[], attrs: ConvGeometryAttrs): Info | null {
  const info = conv2dGeometry(inShape, filterShape, attrs);
  if (!info) return null;
  const plain = info.dilationHeight === 1 && info.dilationWidth === 1;
  const wide = info.inChannels >= CHANNELS_FROM && info.outChannels >= CHANNELS_FROM;
  return plain && wide && info.outHeight > 0 && info.outWidth > 0 && info.batchSize > 0 ? info : null;
}

/** y = conv(x, filter [kh, kw, C, O]) with the geometry of `info`, its padding `top` and `left`. */
function convolve(
  simd: HeapSimd,
  backend: WasmHeapBackend,
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  info: Info,
  [top, left]: [number, number],
): tf.TensorInfo {
  const { filterHeight: kh, filterWidth: kw, inChannels: channels, outChannels } = info;
  // Scratch: a row of zeros for taps in the padding, then the block's table of 4 addresses a tap.
  const scratch = backend.makeOutput([channels + 4 * kh * kw], 'float32');
  const y = backend.makeOutput([info.batchSize, info.outHeight, info.outWidth, outChannels], 'float32');
  const [, height, width] = x.shape as number[];
  simd.convGemm(
    ...[simd.address(x), simd.address(filter), simd.address(y), simd.address(scratch), info.batchSize],
    ...[height!, width!, channels, info.outHeight, info.outWidth, outChannels, kh, kw],
    ...[info.strideHeight, info.strideWidth, top, left],
  );
  backend.disposeData(scratch.dataId);
  return y;
}

/** Winograd's F(2 x 2, 3 x 3) serves a 3 x 3, stride-1 convolution with channels in fours. */
const byWinograd = (info: Info, filter: tf.TensorInfo) =>
  info.strideHeight === 1 && info.strideWidth === 1 && winogradServes(filter.shape);

function forward(simd: HeapSimd, backend: WasmHeapBackend, x: tf.TensorInfo, filter: tf.TensorInfo, info: Info) {
  const pads: [number, number] = [info.padInfo.top, info.padInfo.left];
  return byWinograd(info, filter)
    ? winogradConvolution(simd, backend, x, filter, [info.outHeight, info.outWidth], pads)
    : convolve(simd, backend, x, filter, info, pads);
}

function inputGrad(simd: HeapSimd, backend: WasmHeapBackend, dy: tf.TensorInfo, filter: tf.TensorInfo, info: Info) {
  const { filterHeight: kh, filterWidth: kw, inChannels: channels, outChannels, padInfo } = info;
  const [top, left] = [kh - 1 - padInfo.top, kw - 1 - padInfo.left];
  if (info.strideHeight !== 1 || info.strideWidth !== 1 || top < 0 || left < 0) return null;
  if (byWinograd(info, filter))
    return winogradConvolution(simd, backend, dy, filter, [info.inHeight, info.inWidth], [top, left], true);
  // The filter turned 180 degrees with its channel axes swapped: [kh, kw, O, C].
  const turned = backend.makeOutput([kh, kw, outChannels, channels], 'float32');
  const [target, source] = [turned, filter].map((t) => backend.typedArrayFromHeap(t)) as Float32Array[];
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++) {
      const from = ((kh - 1 - i) * kw + kw - 1 - j) * channels * outChannels;
      const to = (i * kw + j) * outChannels * channels;
      for (let c = 0; c < channels; c++)
        for (let o = 0; o < outChannels; o++) target![to + o * channels + c] = source![from + c * outChannels + o]!;
    }
  // dx is the convolution of dy with it, stride 1, its output as large as x.
  const dyInfo = {
    ...info,
    inChannels: outChannels,
    outChannels: channels,
    outHeight: info.inHeight,
    outWidth: info.inWidth,
  };
  const dx = convolve(simd, backend, dy, turned, dyInfo, [top, left]);
  backend.disposeData(turned.dataId);
  return dx;
}

function filterGrad(simd: HeapSimd, backend: WasmHeapBackend, x: tf.TensorInfo, dy: tf.TensorInfo, info: Info) {
  const { filterHeight: kh, filterWidth: kw, inChannels: channels, outChannels, padInfo } = info;
  if (channels % 4 !== 0) return null;
  if (info.strideHeight === 1 && info.strideWidth === 1 && winogradServes([kh, kw, channels, outChannels]))
    return winogradFilterGradient(simd, backend, x, dy, [padInfo.top, padInfo.left]);
  const dw = backend.makeOutput([kh, kw, channels, outChannels], 'float32');
  const images = Math.max(1, Math.floor(CHUNK_POSITIONS / (info.outHeight * info.outWidth)));
  simd.convFilterGemm(
    ...[simd.address(x), simd.address(dy), simd.address(dw), info.batchSize, info.inHeight, info.inWidth],
    ...[channels, info.outHeight, info.outWidth, outChannels, kh, kw, info.strideHeight, info.strideWidth],
    ...[padInfo.top, padInfo.left, images],
  );
  return dw;
}

export function installImplicitGemmConv(backendName: string): void {
  const floats = (...infos: tf.TensorInfo[]) => infos.every((t) => t.dtype === 'float32');
  registerOnHeap(tf.Conv2D, backendName, (inputs, attrs, backend) => {
    const { x, filter } = inputs as unknown as { x: tf.TensorInfo; filter: tf.TensorInfo };
    const simd = heapSimd();
    const info =
      simd && floats(x, filter) ? convInfo(x.shape, filter.shape, attrs as unknown as ConvGeometryAttrs) : null;
    return info ? forward(simd!, backend, x, filter, info) : null;
  });
  registerOnHeap(tf.Conv2DBackpropFilter, backendName, (inputs, attrs, backend) => {
    const { x, dy } = inputs as unknown as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const { filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    const simd = heapSimd();
    const info = simd && floats(x, dy) ? convInfo(x.shape, filterShape, attrs as unknown as ConvGeometryAttrs) : null;
    return info ? filterGrad(simd!, backend, x, dy, info) : null;
  });
  registerOnHeap(tf.Conv2DBackpropInput, backendName, (inputs, attrs, backend) => {
    const { dy, filter } = inputs as unknown as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const { inputShape } = attrs as unknown as tf.Conv2DBackpropInputAttrs;
    const simd = heapSimd();
    const info =
      simd && floats(dy, filter) ? convInfo(inputShape, filter.shape, attrs as unknown as ConvGeometryAttrs) : null;
    return info ? inputGrad(simd!, backend, dy, filter, info) : null;
  });
}
