import * as tf from '@tensorflow/tfjs-core';
import { CHANNEL_POOLS, CHANNEL_POOLS_GRAD, SPATIAL_POOLS, SPATIAL_POOLS_GRAD } from '../kernelNames';
import { heapSimd, type HeapSimd } from '../heap/heapSimd';
import { type WasmHeapBackend } from '../heap/wasmHeap';
import { registerOnHeap } from '../heap/registerOnHeap';

/**
 * CBAM's and spatial attention's pools (kernelNames.ts's CHANNEL_POOLS has the formulas) on the wasm heap, one pass over
 * the map each way in the heap SIMD module (attentionPoolsWat.ts; the [H, W] pools by its fold). Composed,
 * they were a mean, a max and a concat forward and a tile, a compare, casts, products, sums and adds back, each over
 * the whole map (about 6 ms of a CNN + CBAM step here). Registered where the module loaded; the layer calls them for
 * C in fours.
 */
type Run = (inputs: Record<string, tf.TensorInfo>, simd: HeapSimd, backend: WasmHeapBackend) => tf.TensorInfo;

const channelsOf = (x: tf.TensorInfo) => x.shape.at(-1)!;
const rowsOf = (x: tf.TensorInfo) => tf.util.sizeFromShape(x.shape) / channelsOf(x);

const KERNELS: [string, Run][] = [
  [
    CHANNEL_POOLS,
    ({ x }, simd, backend) => {
      const out = backend.makeOutput([...x!.shape.slice(0, -1), 2], 'float32');
      simd.channelPools(simd.address(x!), simd.address(out), rowsOf(x!), channelsOf(x!));
      return out;
    },
  ],
  [
    CHANNEL_POOLS_GRAD,
    ({ x, pools, dPools }, simd, backend) => {
      const dx = backend.makeOutput(x!.shape, 'float32');
      simd.channelPoolsGrad(
        ...([x!, pools!, dPools!, dx].map(simd.address) as [number, number, number, number]),
        rowsOf(x!),
        channelsOf(x!),
      );
      return dx;
    },
  ],
  [
    SPATIAL_POOLS,
    ({ x }, simd, backend) => {
      const [batch, channels] = [x!.shape[0]!, channelsOf(x!)];
      const positions = rowsOf(x!) / batch;
      const out = backend.makeOutput([2 * batch, channels], 'float32');
      const scratch = backend.makeOutput([2 * channels], 'float32');
      const [at, to] = [simd.address(x!), simd.address(out)];
      simd.foldSum(at, to, simd.address(scratch), batch, positions, channels, 1); // means, summed in float64
      backend.disposeData(scratch.dataId);
      simd.fold(at, to + batch * channels * 4, batch, positions, channels, 2); // maxima
      return out;
    },
  ],
  [
    SPATIAL_POOLS_GRAD,
    ({ x, pooled, dPooled }, simd, backend) => {
      const [batch, channels] = [x!.shape[0]!, channelsOf(x!)];
      const dx = backend.makeOutput(x!.shape, 'float32');
      simd.spatialPoolsGrad(
        ...([x!, pooled!, dPooled!, dx].map(simd.address) as [number, number, number, number]),
        batch,
        rowsOf(x!) / batch,
        channels,
      );
      return dx;
    },
  ],
];

export function installAttentionPoolsOnHeap(backendName: string): void {
  if (!heapSimd()) return;
  for (const [kernelName, run] of KERNELS) {
    registerOnHeap(kernelName, backendName, (inputs, _attrs, backend) =>
      run(inputs as Record<string, tf.TensorInfo>, heapSimd()!, backend),
    );
  }
}
