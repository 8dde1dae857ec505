import * as tf from '@tensorflow/tfjs-core';
import { BATCH_NORM_SUMS, BATCH_NORM_GRAD } from '../kernelNames';
import { heapSimd, type HeapSimd } from '../heap/heapSimd';
import { type WasmHeapBackend } from '../heap/wasmHeap';
import { registerGradientOnHeap, registerOnHeap } from '../heap/registerOnHeap';

/**
 * Batch normalisation on the wasm heap, four channels at a time (x seen as [rows, C], NHWC, C a multiple of 4):
 *
 *   y = (x - mean) * g * r + offset,  r = 1 / sqrt(variance + eps),  g = scale (1 without one)
 *
 * Forward: one pass y = x * k + t with k = g * r and t = offset - mean * k per channel (wasm's kernel took 3.6 ms
 * on a [32, 32, 32, 32] map, this ~0.4). Gradient, with S1 = sum_rows dy and S2 = sum_rows dy * (x - mean) taken
 * in one pass (tfjs-core's gradient: ~12 passes over the whole map, a Tile of it among them):
 *
 *   dx = dy * g * r,  dMean = -g * r * S1,  dVariance = -g * r^3 * S2 / 2,  dScale = r * S2,  dOffset = S1
 *
 * the same derivatives tfjs-core's FusedBatchNorm gradient gives (the moments' own gradients then carry dMean and
 * dVariance back to x, as before). Other shapes, dtypes and backends keep tfjs' kernel and gradient.
 */

type Derivative = 'x' | 'mean' | 'variance' | 'scale' | 'offset';

let installed = false;

/** x float32 with C a multiple of 4, and every parameter given float32 of C elements. */
function perChannel(x: tf.TensorInfo, parameters: (tf.TensorInfo | undefined)[]): boolean {
  const channels = x.shape.at(-1) ?? 0;
  return (
    x.dtype === 'float32' &&
    channels > 0 &&
    channels % 4 === 0 &&
    parameters.every((p) => !p || (p.dtype === 'float32' && tf.util.sizeFromShape(p.shape) === channels))
  );
}

const floats = (backend: WasmHeapBackend, info: tf.TensorInfo | undefined) =>
  info ? (backend.typedArrayFromHeap(info) as Float32Array) : null;

/** out = x * k[c] + t[c] over [rows, C], with k and t written to a scratch tensor. */
function scaleShift(
  simd: HeapSimd,
  backend: WasmHeapBackend,
  x: tf.TensorInfo,
  fill: (k: Float32Array, t: Float32Array) => void,
): tf.TensorInfo {
  const channels = x.shape.at(-1)!;
  const params = backend.makeOutput([2 * channels], 'float32');
  const out = backend.makeOutput(x.shape, 'float32');
  const values = floats(backend, params)!;
  fill(values.subarray(0, channels), values.subarray(channels));
  simd.scaleShift(
    simd.address(x),
    simd.address(out),
    simd.address(params),
    tf.util.sizeFromShape(x.shape) / channels,
    channels,
  );
  backend.disposeData(params.dataId);
  return out;
}

function forward(inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap, backend: WasmHeapBackend) {
  const { x, mean, variance, offset, scale } = inputs as Record<string, tf.TensorInfo | undefined>;
  const simd = heapSimd();
  if (!simd || !x || !mean || !variance || !perChannel(x, [mean, variance, offset, scale])) return null;
  const eps = (attrs as unknown as tf.FusedBatchNormAttrs).varianceEpsilon;
  return scaleShift(simd, backend, x, (k, t) => {
    const [m, v, o, g] = [mean, variance, offset, scale].map((p) => floats(backend, p));
    for (let c = 0; c < k.length; c++) {
      k[c] = (g ? g[c]! : 1) / Math.sqrt(v![c]! + eps);
      t[c] = (o ? o[c]! : 0) - m![c]! * k[c]!;
    }
  });
}

/** [S1; S2] as a [2, C] tensor. */
function sums(inputs: tf.NamedTensorInfoMap, backend: WasmHeapBackend): tf.TensorInfo {
  const { x, dy, mean } = inputs as Record<string, tf.TensorInfo>;
  const simd = heapSimd()!;
  const channels = x!.shape.at(-1)!;
  const out = backend.makeOutput([2, channels], 'float32');
  // channelSums' float64 accumulators.
  const scratch = backend.makeOutput([4 * channels], 'float32');
  const [xAt, dyAt, meanAt, outAt, accAt] = [x!, dy!, mean!, out, scratch].map(simd.address) as number[] as [
    number,
    number,
    number,
    number,
    number,
  ];
  simd.channelSums(xAt, dyAt, meanAt, outAt, accAt, tf.util.sizeFromShape(x!.shape) / channels, channels);
  backend.disposeData(scratch.dataId);
  return out;
}

function derivative(inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap, backend: WasmHeapBackend) {
  const { dy, sums: sumsInfo, variance, scale } = inputs as Record<string, tf.TensorInfo | undefined>;
  const { of, varianceEpsilon: eps } = attrs as unknown as { of: Derivative; varianceEpsilon: number };
  const channels = variance!.shape.at(-1)!;
  // Each output is allocated before the views are taken: an allocation may move the heap.
  const out = of === 'x' ? null : backend.makeOutput([channels], 'float32');
  const [v, g] = [variance, scale].map((p) => floats(backend, p));
  const root = Float32Array.from({ length: channels }, (_, c) => 1 / Math.sqrt(v![c]! + eps));
  const gain = Float32Array.from({ length: channels }, (_, c) => (g ? g[c]! : 1));
  if (!out) {
    return scaleShift(heapSimd()!, backend, dy!, (k, t) => {
      for (let c = 0; c < channels; c++) [k[c], t[c]] = [gain[c]! * root[c]!, 0];
    });
  }
  const [target, s] = [floats(backend, out)!, floats(backend, sumsInfo)!];
  for (let c = 0; c < channels; c++) {
    const [s1, s2, r, k] = [s[c]!, s[channels + c]!, root[c]!, gain[c]!];
    target[c] =
      of === 'mean' ? -k * r * s1 : of === 'variance' ? -0.5 * k * r * r * r * s2 : of === 'scale' ? r * s2 : s1;
  }
  return out;
}

export function installBatchNormOnHeap(backendName: string): void {
  registerOnHeap(tf.FusedBatchNorm, backendName, forward);
  if (installed) return;
  installed = true;
  registerOnHeap(BATCH_NORM_SUMS, backendName, (inputs, _attrs, backend) => sums(inputs, backend));
  registerOnHeap(BATCH_NORM_GRAD, backendName, (inputs, attrs, backend) => derivative(inputs, attrs, backend)!);
  registerGradientOnHeap(tf.FusedBatchNorm, backendName, (dy, saved, attrs) => {
    const [x, mean, variance, scale] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor | undefined];
    const gradient = dy as tf.Tensor;
    if (!heapSimd() || mean.rank !== 1 || gradient.dtype !== 'float32' || !perChannel(x, [mean, variance, scale])) {
      return null;
    }
    const engine = tf.engine();
    // Taken here, once for the four parameter derivatives; the backward pass's scope disposes it.
    const channelSums = engine.runKernel(BATCH_NORM_SUMS, { x, dy: gradient, mean }) as tf.Tensor;
    const of = (name: Derivative) => () =>
      engine.runKernel(BATCH_NORM_GRAD, { dy: gradient, sums: channelSums, variance, ...(scale ? { scale } : {}) }, {
        of: name,
        varianceEpsilon: (attrs as unknown as tf.FusedBatchNormAttrs).varianceEpsilon,
      } as unknown as tf.NamedAttrMap) as tf.Tensor;
    return { x: of('x'), mean: of('mean'), variance: of('variance'), scale: of('scale'), offset: of('offset') };
  });
}
