import * as tf from '@tensorflow/tfjs-core';
import { LAYER_NORM, LAYER_NORM_GRAD } from '../kernelNames';
import { heapSimd } from '../heap/heapSimd';
import { registerOnHeap } from '../heap/registerOnHeap';

/**
 * Layer normalisation over the last axis on the wasm heap, a row at a time in the SIMD module:
 *
 *   y = xhat * gamma + beta,  xhat = (x - mean) * r,  r = 1 / sqrt(var + eps)        (per row of D)
 *   dx = r * (dy*gamma - mean(dy*gamma) - xhat * mean(dy*gamma*xhat)),  dgamma = sum dy*xhat,  dbeta = sum dy
 *
 * tfjs composes layer normalisation from ~10 broadcasting kernels forward and ~25 back, each a
 * pass over the whole [B, T, D] tensor: ~1 ms a layer of a Transformer step here, ~0.15 ms as these two kernels.
 * LAYER_NORM returns [y, mean, r] (mean and r per row, for the gradient); LAYER_NORM_GRAD [dx, dgamma, dbeta].
 */

let installed = false;

export function installLayerNormOnHeap(backendName: string): void {
  if (installed) return;
  installed = true;
  registerOnHeap(LAYER_NORM, backendName, (inputs, attrs, backend) => {
    const simd = heapSimd()!;
    const { x, gamma, beta } = inputs as Record<string, tf.TensorInfo>;
    const d = x!.shape.at(-1)!;
    const rows = tf.util.sizeFromShape(x!.shape) / d;
    const [y, mean, rstd] = [
      backend.makeOutput(x!.shape, 'float32'),
      backend.makeOutput([rows], 'float32'),
      backend.makeOutput([rows], 'float32'),
    ];
    simd.layerNorm(
      ...([x!, gamma!, beta!, y, mean, rstd].map(simd.address) as [number, number, number, number, number, number]),
      rows,
      d,
      (attrs as unknown as { epsilon: number }).epsilon,
    );
    return [y, mean, rstd];
  });
  registerOnHeap(LAYER_NORM_GRAD, backendName, (inputs, _attrs, backend) => {
    const simd = heapSimd()!;
    const { x, gamma, dy, mean, rstd } = inputs as Record<string, tf.TensorInfo>;
    const d = x!.shape.at(-1)!;
    const rows = tf.util.sizeFromShape(x!.shape) / d;
    const [dx, dgamma, dbeta, scratch] = [
      backend.makeOutput(x!.shape, 'float32'),
      backend.makeOutput([d], 'float32'),
      backend.makeOutput([d], 'float32'),
      // dgamma's and dbeta's float64 sums.
      backend.makeOutput([4 * d], 'float32'),
    ];
    simd.layerNormGrad(
      ...([x!, gamma!, dy!, mean!, rstd!, dx, dgamma, dbeta, scratch].map(simd.address) as [
        number,
        number,
        number,
        number,
        number,
        number,
        number,
        number,
        number,
      ]),
      rows,
      d,
    );
    backend.disposeData(scratch.dataId);
    return [dx, dgamma, dbeta];
  });
}

/**
 * The layer's normalisation through the two kernels, with its gradient; null where they cannot serve (another
 * backend, the module not loaded, D not a multiple of 4, not float32), so the caller composes it from tfjs ops.
 */
export function layerNormOnHeap(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): tf.Tensor | null {
  const d = x.shape.at(-1) ?? 0;
  if (!heapSimd() || !tf.getKernel(LAYER_NORM, tf.getBackend()) || d === 0 || d % 4 !== 0) return null;
  if ([x, gamma, beta].some((t) => t.dtype !== 'float32') || gamma.size !== d || beta.size !== d) return null;
  const engine = tf.engine();
  const normalize = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, scale, shift, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const [y, mean, rstd] = engine.runKernel(LAYER_NORM, { x: input, gamma: scale, beta: shift }, {
      epsilon,
    } as unknown as tf.NamedAttrMap) as tf.Tensor[];
    save([input, scale, mean!, rstd!]);
    return {
      value: y!,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [xs, gammas, means, rstds] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        return engine.runKernel(LAYER_NORM_GRAD, {
          x: xs,
          gamma: gammas,
          dy: dy as tf.Tensor,
          mean: means,
          rstd: rstds,
        }) as tf.Tensor[];
      },
    };
  });
  return normalize(x, gamma, beta);
}
