import * as tf from '@tensorflow/tfjs-core';
import { registerGradientOnHeap } from '../heap/registerOnHeap';

/**
 * The gradient of a mean, dy / n spread over the reduced axes, as one small division and one broadcast (wasm's
 * Tile is a block copy on the heap, blockTile.ts). tfjs' own gradient multiplies by ones(x.shape), filled element by
 * element in JavaScript and uploaded each time: for CBAM's mean over [H, W] of a [32, 32, 32, 32] map that was 5% of
 * a step. Only on wasm (the backend it was measured on); elsewhere tfjs' gradient runs unchanged.
 */
let installed = false;

export function installMeanGradByTile(backendName: string): void {
  if (installed) return;
  installed = true;
  registerGradientOnHeap(tf.Mean, backendName, (dy, saved, attrs) => {
    const [x] = saved as [tf.Tensor];
    const axes = tf.util.parseAxisParam((attrs as unknown as tf.MeanAttrs).axis, x.shape);
    const count = axes.reduce((n, axis) => n * x.shape[axis]!, 1);
    const kept = x.shape.map((d, axis) => (axes.includes(axis) ? 1 : d));
    return { x: () => tf.broadcastTo(tf.div(tf.reshape(dy as tf.Tensor, kept), count), x.shape) };
  });
}
