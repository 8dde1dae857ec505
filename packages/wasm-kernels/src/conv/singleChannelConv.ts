import * as tf from '@tensorflow/tfjs-core';
import { conv2dGeometry, type ConvGeometryAttrs } from './convKernelParts';
import { heapSimd, type HeapSimd } from '../heap/heapSimd';
import { type WasmHeapBackend } from '../heap/wasmHeap';
import { registerOnHeap } from '../heap/registerOnHeap';

/**
 * A convolution with one output channel, stride 1 (CBAM's and spatial attention's k x k gate over [mean_c; max_c]),
 * and its two gradients, directly on zero-padded planes in the heap SIMD module (planeConvWat.ts), four output
 * columns at a time:
 *
 *   y[b, r, q]     = sum_{i, j, c} xPadded[b, r + i, q + j, c] * W[i, j, c]
 *   dW[i, j, c]    = sum_{b, r, q} xPadded[b, r + i, q + j, c] * dy[b, r, q]
 *   dx[b, r, q, c] = sum_{i, j} dyPadded[b, r + i, q + j] * W[kh-1-i, kw-1-j, c]
 *
 * XNNPACK treats the single output channel as a matrix of width 1 and tfjs' weight gradient as a dilated convolution
 * over it: 1.6, 2.2 and 1.8 ms for a 7 x 7 gate on [32, 32, 32, 2] here, ~10% of a CNN + CBAM step for a few
 * million multiply-adds. Output widths not a multiple of 4, other strides and dilations keep the registered kernels.
 */
type Info = tf.backend_util.Conv2DInfo;

function convInfo(inShape: number[], filterShape: number[], attrs: ConvGeometryAttrs): Info | null {
  const info = conv2dGeometry(inShape, filterShape, attrs);
  if (!info) return null;
  const plain =
    info.strideHeight === 1 && info.strideWidth === 1 && info.dilationHeight === 1 && info.dilationWidth === 1;
  return plain && info.outChannels === 1 && info.outWidth % 4 === 0 && info.outWidth > 0 ? info : null;
}

/** source [B, H, W, C] as zero-padded planes [B, C, H + top + bottom, W + left + right]. */
function toPlanes(backend: WasmHeapBackend, source: tf.TensorInfo, [top, bottom, left, right]: number[]) {
  const [batch, height, width, channels] = source.shape as [number, number, number, number];
  const [hp, wp] = [height + top! + bottom!, width + left! + right!];
  const planes = backend.makeOutput([batch, channels, hp, wp], 'float32');
  const [target, values] = [planes, source].map((t) => backend.typedArrayFromHeap(t)) as Float32Array[];
  target!.fill(0);
  let from = 0;
  for (let b = 0; b < batch; b++)
    for (let r = 0; r < height; r++)
      for (let q = 0; q < width; q++)
        for (let c = 0; c < channels; c++)
          target![((b * channels + c) * hp + r + top!) * wp + q + left!] = values![from++]!;
  return { planes, shape: [batch, channels, hp, wp] as const };
}

/** A small scratch tensor filled by `fill`. */
function scratch(backend: WasmHeapBackend, size: number, fill: (values: Float32Array) => void): tf.TensorInfo {
  const out = backend.makeOutput([size], 'float32');
  fill(backend.typedArrayFromHeap(out) as Float32Array);
  return out;
}

function forward(simd: HeapSimd, backend: WasmHeapBackend, x: tf.TensorInfo, filter: tf.TensorInfo, info: Info) {
  const { filterHeight: kh, filterWidth: kw, inChannels: channels, padInfo } = info;
  const { planes, shape } = toPlanes(backend, x, [padInfo.top, padInfo.bottom, padInfo.left, padInfo.right]);
  const w = backend.typedArrayFromHeap(filter) as Float32Array;
  // [kh, kw, C, 1] -> [C, kh, kw], the order the module walks.
  const weights = scratch(backend, kh * kw * channels, (target) => {
    for (let c = 0; c < channels; c++)
      for (let i = 0; i < kh; i++)
        for (let j = 0; j < kw; j++) target[(c * kh + i) * kw + j] = w[(i * kw + j) * channels + c]!;
  });
  const out = backend.makeOutput([info.batchSize, info.outHeight, info.outWidth, 1], 'float32');
  simd.planeConv(
    ...[simd.address(planes), simd.address(weights), simd.address(out), info.batchSize, channels, shape[2], shape[3]],
    ...[info.outHeight, info.outWidth, kh, kw, 4],
  );
  backend.disposeData(planes.dataId);
  backend.disposeData(weights.dataId);
  return out;
}

function filterGrad(simd: HeapSimd, backend: WasmHeapBackend, x: tf.TensorInfo, dy: tf.TensorInfo, info: Info) {
  const { filterHeight: kh, filterWidth: kw, inChannels: channels, padInfo } = info;
  const { planes, shape } = toPlanes(backend, x, [padInfo.top, padInfo.bottom, padInfo.left, padInfo.right]);
  const byChannel = backend.makeOutput([channels, kh, kw], 'float32');
  simd.planeConvFilterGrad(
    ...[simd.address(planes), simd.address(dy), simd.address(byChannel), info.batchSize, channels, shape[2], shape[3]],
    ...[info.outHeight, info.outWidth, kh, kw],
  );
  const dw = backend.makeOutput([kh, kw, channels, 1], 'float32');
  const [target, source] = [dw, byChannel].map((t) => backend.typedArrayFromHeap(t)) as Float32Array[];
  for (let c = 0; c < channels; c++)
    for (let i = 0; i < kh; i++)
      for (let j = 0; j < kw; j++) target![(i * kw + j) * channels + c] = source![(c * kh + i) * kw + j]!;
  backend.disposeData(planes.dataId);
  backend.disposeData(byChannel.dataId);
  return dw;
}

function inputGrad(simd: HeapSimd, backend: WasmHeapBackend, dy: tf.TensorInfo, filter: tf.TensorInfo, info: Info) {
  const { filterHeight: kh, filterWidth: kw, inChannels: channels, inHeight, inWidth, padInfo } = info;
  const sides = [kh - 1 - padInfo.top, kh - 1 - padInfo.bottom, kw - 1 - padInfo.left, kw - 1 - padInfo.right];
  if (inWidth % 4 !== 0 || sides.some((side) => side < 0)) return null;
  const { planes, shape } = toPlanes(backend, dy, sides);
  const w = backend.typedArrayFromHeap(filter) as Float32Array;
  // Per channel, the filter turned 180 degrees: [C, kh, kw].
  const flipped = scratch(backend, kh * kw * channels, (target) => {
    for (let c = 0; c < channels; c++)
      for (let i = 0; i < kh; i++)
        for (let j = 0; j < kw; j++)
          target[(c * kh + i) * kw + j] = w[((kh - 1 - i) * kw + kw - 1 - j) * channels + c]!;
  });
  const dx = backend.makeOutput([info.batchSize, inHeight, inWidth, channels], 'float32');
  for (let c = 0; c < channels; c++) {
    // Channel c of dx, every channels-th float from its c-th.
    simd.planeConv(
      ...[simd.address(planes), simd.address(flipped) + c * kh * kw * 4, simd.address(dx) + c * 4, info.batchSize, 1],
      ...[shape[2], shape[3], inHeight, inWidth, kh, kw, channels * 4],
    );
  }
  backend.disposeData(planes.dataId);
  backend.disposeData(flipped.dataId);
  return dx;
}

export function installSingleChannelConv(backendName: string): void {
  const floats = (...infos: tf.TensorInfo[]) => infos.every((t) => t.dtype === 'float32');
  registerOnHeap(tf.Conv2D, backendName, (inputs, attrs, backend) => {
    const { x, filter } = inputs as unknown as { x: tf.TensorInfo; filter: tf.TensorInfo };
    const simd = heapSimd();
    const info = simd && floats(x, filter) ? convInfo(x.shape, filter.shape, attrs as never) : null;
    return info ? forward(simd!, backend, x, filter, info) : null;
  });
  registerOnHeap(tf.Conv2DBackpropFilter, backendName, (inputs, attrs, backend) => {
    const { x, dy } = inputs as unknown as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const { filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    const simd = heapSimd();
    const info = simd && floats(x, dy) ? convInfo(x.shape, filterShape, attrs as never) : null;
    return info ? filterGrad(simd!, backend, x, dy, info) : null;
  });
  registerOnHeap(tf.Conv2DBackpropInput, backendName, (inputs, attrs, backend) => {
    const { dy, filter } = inputs as unknown as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const { inputShape } = attrs as unknown as tf.Conv2DBackpropInputAttrs;
    const simd = heapSimd();
    const info = simd && floats(dy, filter) ? convInfo(inputShape, filter.shape, attrs as never) : null;
    return info ? inputGrad(simd!, backend, dy, filter, info) : null;
  });
}
