import type * as tf from '@tensorflow/tfjs-core';
import type { HeapSimd } from './simd/heapSimd';
import type { WasmHeapBackend } from './wasmHeap';

/**
 * A 3 x 3, stride-1 convolution by Winograd's minimal filtering F(2 x 2, 3 x 3) (Lavin & Gray 2016): each 2 x 2
 * block of outputs is
 *
 *   Y = A^T [ (G g G^T) . (B^T d B) ] A
 *
 * for its 4 x 4 block of inputs d, so the 36 multiply-adds a channel pair costs become 16: one product per of the
 * 16 transformed positions, [tiles, C] x [C, O], in the module's gemm. At 128 bits a lane the 3 x 3 layers of a
 * CNN were at the product's peak already (~50 GFLOP/s, where PyTorch's oneDNN reaches ~140 with AVX-512); this does
 * 2.25 times less of it for two cheap transforms: [32, 16, 16, 32] -> 64 channels 5.9 -> ~4.2 ms, ~70 GFLOP/s as
 * the direct sum counts them. Tiles go in chunks whose transformed inputs and products stay in the L2 cache.
 * Rounding: the transforms add and halve, within a few float32 ulps of the direct sum.
 */

/** Bytes of transformed inputs and products a chunk of tiles holds. */
const CHUNK_BYTES = 512 * 1024;

/** G = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1]: the filter transform. */
const G = [
  [1, 0, 0],
  [0.5, 0.5, 0.5],
  [0.5, -0.5, 0.5],
  [0, 0, 1],
];

/** U[xi, c, o] = (G g[., ., c, o] G^T)[xi] for a filter [3, 3, C, O]. */
function transformFilter(filter: Float32Array, target: Float32Array, channels: number, outChannels: number): void {
  const pairs = channels * outChannels;
  const g = new Float64Array(9);
  const left = new Float64Array(12);
  for (let at = 0; at < pairs; at++) {
    for (let k = 0; k < 9; k++) g[k] = filter[k * pairs + at]!;
    // G g: [4, 3]
    for (let a = 0; a < 4; a++)
      for (let j = 0; j < 3; j++) left[a * 3 + j] = G[a]![0]! * g[j]! + G[a]![1]! * g[3 + j]! + G[a]![2]! * g[6 + j]!;
    // (G g) G^T: [4, 4]
    for (let a = 0; a < 4; a++)
      for (let b = 0; b < 4; b++)
        target[(a * 4 + b) * pairs + at] =
          left[a * 3]! * G[b]![0]! + left[a * 3 + 1]! * G[b]![1]! + left[a * 3 + 2]! * G[b]![2]!;
  }
}

/** Whether Winograd serves this convolution: 3 x 3, channels in and out multiples of 4. */
export const winogradServes = (filterShape: readonly number[]): boolean =>
  filterShape[0] === 3 && filterShape[1] === 3 && filterShape[2]! % 4 === 0 && filterShape[3]! % 4 === 0;

/**
 * y [B, outH, outW, O] = the stride-1 correlation of x [B, H, W, C] with filter [3, 3, C, O], x padded by `top`
 * rows and `left` columns (and zeros wherever a window passes the far edges).
 */
export function winogradConvolution(
  simd: HeapSimd,
  backend: WasmHeapBackend,
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  [outHeight, outWidth]: [number, number],
  [top, left]: [number, number],
): tf.TensorInfo {
  const [batch, height, width, channels] = x.shape as [number, number, number, number];
  const outChannels = filter.shape[3]!;
  const [tilesH, tilesW] = [Math.ceil(outHeight / 2), Math.ceil(outWidth / 2)];
  const tiles = batch * tilesH * tilesW;
  const chunk = Math.max(4, Math.min(tiles, Math.floor(CHUNK_BYTES / (64 * (channels + outChannels)))));
  // Every tensor before any view: an allocation may move the heap.
  const u = backend.makeOutput([16, channels, outChannels], 'float32');
  const scratch = backend.makeOutput([channels + 16 * chunk * (channels + outChannels)], 'float32');
  const y = backend.makeOutput([batch, outHeight, outWidth, outChannels], 'float32');
  const heap = (info: tf.TensorInfo) => backend.typedArrayFromHeap(info) as Float32Array;
  transformFilter(heap(filter), heap(u), channels, outChannels);
  heap(scratch).fill(0, 0, channels);
  const [zeros, v] = [simd.address(scratch), simd.address(scratch) + channels * 4];
  const m = v + 16 * chunk * channels * 4;
  for (let tile0 = 0; tile0 < tiles; tile0 += chunk) {
    const count = Math.min(chunk, tiles - tile0);
    simd.winogradInput(
      ...[simd.address(x), v, zeros, batch, height, width, channels, tilesH, tilesW, top, left, tile0, count],
    );
    // 16 products, [count, C] x [C, O] each.
    simd.gemm(
      ...[v, simd.address(u), m, 16, count, channels, outChannels],
      ...[count * channels * 4, channels * outChannels * 4, channels * 4, 4],
    );
    simd.winogradOutput(m, simd.address(y), batch, outHeight, outWidth, outChannels, tilesH, tilesW, tile0, count);
  }
  backend.disposeData(u.dataId);
  backend.disposeData(scratch.dataId);
  return y;
}
