import * as tf from '@tensorflow/tfjs-core';
import {
  CHANNEL_POOLS,
  CHANNEL_POOLS_GRAD,
  SPATIAL_POOLS,
  SPATIAL_POOLS_GRAD,
} from '@attention-workbench/wasm-kernels';

/**
 * The pools CBAM and spatial attention take of a feature map x [B, H, W, C]:
 *
 *   channelPools(x) = [mean_c x, max_c x]           [B, H, W, 2]   (what the spatial gate's convolution reads)
 *   spatialPools(x) = [mean_hw x ; max_hw x]         [2B, C]        (what the channel gate's MLP reads)
 *
 * with the gradient dx = d(mean) / n + d(max) at every element equal to its maximum. A backend may register the
 * kernels CHANNEL_POOLS and SPATIAL_POOLS (packages/wasm-kernels does for wasm: one pass over x each way); elsewhere the
 * pools are composed of tfjs ops and autodiff, as before: a mean, a max and a concat forward, and a tile, a compare,
 * a product and sums back.
 */

const fused = (kernelName: string, x: tf.Tensor) =>
  x.dtype === 'float32' && x.shape.at(-1)! % 4 === 0 && tf.getKernel(kernelName, tf.getBackend()) !== undefined;

/** One kernel forward and one back, the pooled tensor saved for the routing of the maxima. */
function pooledWithGradient(x: tf.Tensor, forward: string, backward: string, names: [string, string]): tf.Tensor {
  const engine = tf.engine();
  const run = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const pooled = engine.runKernel(forward, { x: input }) as tf.Tensor;
    save([input, pooled]);
    return {
      value: pooled,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) =>
        engine.runKernel(backward, { x: saved[0]!, [names[0]]: saved[1]!, [names[1]]: dy as tf.Tensor }) as tf.Tensor,
    };
  });
  return run(x);
}

export function channelPools(x: tf.Tensor4D): tf.Tensor4D {
  if (fused(CHANNEL_POOLS, x)) {
    return pooledWithGradient(x, CHANNEL_POOLS, CHANNEL_POOLS_GRAD, ['pools', 'dPools']) as tf.Tensor4D;
  }
  return tf.concat([tf.mean(x, 3, true), tf.max(x, 3, true)], 3) as tf.Tensor4D;
}

export function spatialPools(x: tf.Tensor4D): tf.Tensor2D {
  if (fused(SPATIAL_POOLS, x)) {
    return pooledWithGradient(x, SPATIAL_POOLS, SPATIAL_POOLS_GRAD, ['pooled', 'dPooled']) as tf.Tensor2D;
  }
  return tf.concat([tf.mean(x, [1, 2]), tf.max(x, [1, 2])], 0) as tf.Tensor2D;
}
