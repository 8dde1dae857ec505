import * as tf from '@tensorflow/tfjs-core';
import { BATCH_NORM_SUMS, BATCH_NORM_TRAINING, BATCH_NORM_TRAINING_GRAD } from '../kernelNames';
import { heapSimd } from '../heap/heapSimd';
import { type WasmHeapBackend } from '../heap/wasmHeap';
import { registerGradientOnHeap, registerOnHeap } from '../heap/registerOnHeap';

/**
 * Batch normalisation in training as one kernel and one gradient (x as [N rows, C], NHWC, C a multiple of 4):
 *
 *   mean = sum_rows x / N,  variance = sum_rows (x - mean)^2 / N,  r = 1 / sqrt(variance + eps)
 *   y = (x - mean) * g * r + beta
 *
 * returning y, mean and variance (the moving averages' inputs). tfjs-layers takes moments with tf.moments and
 * normalises with tf.batchNorm: ~5 passes over the map forward and ~12 back through the moments' own gradients
 * (a Mean, Sub, Square and their broadcasts). Here it is 3 forward, 4 back, with the whole derivative in closed form
 * (S1 = sum_rows dy, S2 = sum_rows dy * (x - mean), dMean and dVariance what reaches the mean and variance outputs):
 *
 *   dx = dy * g r + (x - mean) * (2 dVariance - g r^3 S2) / N + (dMean - g r S1) / N
 *   dg = r * S2,  dbeta = S1
 */

type Derivative = 'x' | 'scale' | 'offset';

/** Where the fused kernel serves x: the wasm heap's SIMD module, float32, channels last and a multiple of 4. */
export function fusedBatchNormInTraining(x: tf.Tensor): boolean {
  const channels = x.shape.at(-1) ?? 0;
  return (
    !!tf.getKernel(BATCH_NORM_TRAINING, tf.getBackend()) &&
    !!heapSimd() &&
    x.dtype === 'float32' &&
    x.rank >= 2 &&
    channels > 0 &&
    channels % 4 === 0 &&
    x.size > 0
  );
}

const floats = (backend: WasmHeapBackend, info: tf.TensorInfo) => backend.typedArrayFromHeap(info) as Float32Array;

function forward(inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap, backend: WasmHeapBackend) {
  const { x, scale, offset } = inputs as Record<string, tf.TensorInfo>;
  const eps = (attrs as unknown as { varianceEpsilon: number }).varianceEpsilon;
  const simd = heapSimd()!;
  const channels = x!.shape.at(-1)!;
  const rows = tf.util.sizeFromShape(x!.shape) / channels;
  // Every output and scratch tensor before any view: an allocation may move the heap.
  const [moments, params, scratch] = [
    backend.makeOutput([2 * channels], 'float32'),
    backend.makeOutput([2 * channels], 'float32'),
    // channelMoments' float64 accumulators.
    backend.makeOutput([4 * channels], 'float32'),
  ];
  const [mean, variance] = [backend.makeOutput([channels], 'float32'), backend.makeOutput([channels], 'float32')];
  const y = backend.makeOutput(x!.shape, 'float32');
  simd.channelMoments(simd.address(x!), simd.address(moments), simd.address(scratch), rows, channels);
  backend.disposeData(scratch.dataId);
  const [m, g, b, p] = [moments, scale!, offset!, params].map((t) => floats(backend, t));
  floats(backend, mean).set(m!.subarray(0, channels));
  floats(backend, variance).set(m!.subarray(channels));
  for (let c = 0; c < channels; c++) {
    const k = g![c]! / Math.sqrt(m![channels + c]! + eps);
    [p![c], p![channels + c]] = [k, b![c]! - m![c]! * k];
  }
  simd.scaleShift(simd.address(x!), simd.address(y), simd.address(params), rows, channels);
  backend.disposeData(moments.dataId);
  backend.disposeData(params.dataId);
  return [y, mean, variance];
}

function derivative(inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap, backend: WasmHeapBackend) {
  const { x, dy, sums, mean, variance, scale, dMean, dVariance } = inputs as Record<string, tf.TensorInfo | undefined>;
  const { of, varianceEpsilon: eps } = attrs as unknown as { of: Derivative; varianceEpsilon: number };
  const channels = variance!.shape.at(-1)!;
  const rows = tf.util.sizeFromShape(x!.shape) / channels;
  const simd = heapSimd()!;
  const out = backend.makeOutput(of === 'x' ? x!.shape : [channels], 'float32');
  const params = of === 'x' ? backend.makeOutput([3 * channels], 'float32') : null;
  const [s, v, g] = [sums!, variance!, scale!].map((t) => floats(backend, t)) as Float32Array[];
  const [dm, dv] = [dMean, dVariance].map((t) => (t ? floats(backend, t) : null));
  if (!params) {
    const target = floats(backend, out);
    for (let c = 0; c < channels; c++)
      target[c] = of === 'scale' ? s![channels + c]! / Math.sqrt(v![c]! + eps) : s![c]!;
    return out;
  }
  const [p, m] = [floats(backend, params), floats(backend, mean!)];
  for (let c = 0; c < channels; c++) {
    const r = 1 / Math.sqrt(v![c]! + eps);
    const k = g![c]! * r;
    const slope = (2 * (dv ? dv[c]! : 0) - k * r * r * s![channels + c]!) / rows;
    const shift = ((dm ? dm[c]! : 0) - k * s![c]!) / rows;
    // dx = dy * k + x * slope + (shift - mean * slope)
    [p[c], p[channels + c], p[2 * channels + c]] = [k, slope, shift - m[c]! * slope];
  }
  simd.scaleShiftPair(simd.address(dy!), simd.address(x!), simd.address(out), simd.address(params), rows, channels);
  backend.disposeData(params.dataId);
  return out;
}

let installed = false;

export function installBatchNormTraining(backendName: string): void {
  registerOnHeap(BATCH_NORM_TRAINING, backendName, forward);
  registerOnHeap(BATCH_NORM_TRAINING_GRAD, backendName, (inputs, attrs, backend) => derivative(inputs, attrs, backend));
  if (installed) return;
  installed = true;
  const saves = { inputsToSave: ['x', 'scale'], outputsToSave: [false, true, true] };
  registerGradientOnHeap(
    BATCH_NORM_TRAINING,
    backendName,
    (dys, saved, attrs) => {
      const [dy, dMean, dVariance] = dys as (tf.Tensor | null)[];
      const [x, scale, mean, variance] = saved as tf.Tensor[];
      const engine = tf.engine();
      const gradient = dy ?? tf.zerosLike(x!);
      // Taken here, once for the three derivatives; the backward pass's scope disposes it.
      const sums = engine.runKernel(BATCH_NORM_SUMS, { x: x!, dy: gradient, mean: mean! }) as tf.Tensor;
      const varianceEpsilon = (attrs as unknown as { varianceEpsilon: number }).varianceEpsilon;
      const of = (name: Derivative) => () =>
        engine.runKernel(
          BATCH_NORM_TRAINING_GRAD,
          {
            x: x!,
            dy: gradient,
            sums,
            mean: mean!,
            variance: variance!,
            scale: scale!,
            ...(dMean ? { dMean } : {}),
            ...(dVariance ? { dVariance } : {}),
          },
          { of: name, varianceEpsilon } as unknown as tf.NamedAttrMap,
        ) as tf.Tensor;
      return { x: of('x'), scale: of('scale'), offset: of('offset') };
    },
    saves,
  );
}
