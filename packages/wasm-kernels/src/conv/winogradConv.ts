import type * as tf from '@tensorflow/tfjs-core';
import type { HeapSimd } from '../heap/heapSimd';
import type { WasmHeapBackend } from '../heap/wasmHeap';

/**
 * A 3 x 3, stride-1 convolution and both its gradients by Winograd's minimal filtering F(2 x 2, 3 x 3) (Lavin &
 * Gray 2016): each 2 x 2 block of outputs is
 *
 *   Y = A^T [ (G g G^T) . (B^T d B) ] A
 *
 * for its 4 x 4 block of inputs d, so the 36 multiply-adds a channel pair costs become 16: one product for each of the
 * 16 transformed positions, [tiles, C] x [C, O], in the module's gemm. At 128 bits a lane the 3 x 3 layers of a
 * CNN were at the product's peak already (~50 GFLOP/s, where PyTorch's oneDNN reaches ~140 with AVX-512); this does
 * 2.25 times less of it for two cheap transforms: [32, 16, 16, 32] -> 64 channels 5.9 -> ~4.2 ms, ~70 GFLOP/s as
 * the direct sum counts them. Tiles go in chunks whose transformed inputs and products stay in the L2 cache. The
 * filter's transform runs in the module too, at every call (in training the filter is new at every step; in
 * JavaScript it took 0.55 ms for 64 -> 96 channels). The weight gradient is the same identity differentiated
 * (winogradFilterGradient): [32, 16, 16, 32] -> 64 channels 5.6 -> 3.5 ms. Rounding: the transforms add and halve;
 * against the cpu backend on that layer, random normal data, the relative RMS error is 4e-7 forward, 3e-7 for dx
 * and 1.4e-6 for dW.
 */

/** Bytes of transformed inputs and products a chunk of tiles holds. */
const CHUNK_BYTES = 512 * 1024;

/** Whether Winograd serves this convolution: 3 x 3, channels in and out multiples of 4. */
export const winogradServes = (filterShape: readonly number[]): boolean =>
  filterShape[0] === 3 && filterShape[1] === 3 && filterShape[2]! % 4 === 0 && filterShape[3]! % 4 === 0;

/**
 * The 2 x 2 tiles of an output [batch, outH, outW] and the scratch a chunk of them needs: a row of zeros (what reads
 * past the edges get), the transformed inputs [16, chunk, C] at `v`, and a second [16, chunk, O] at `second`.
 */
function tiled(
  simd: HeapSimd,
  backend: WasmHeapBackend,
  batch: number,
  [outHeight, outWidth]: [number, number],
  channels: number,
  outChannels: number,
) {
  const [tilesH, tilesW] = [Math.ceil(outHeight / 2), Math.ceil(outWidth / 2)];
  const tiles = batch * tilesH * tilesW;
  const chunk = Math.max(4, Math.min(tiles, Math.floor(CHUNK_BYTES / (64 * (channels + outChannels)))));
  const zeroCount = Math.max(channels, outChannels);
  const scratch = backend.makeOutput([zeroCount + 16 * chunk * (channels + outChannels)], 'float32');
  (backend.typedArrayFromHeap(scratch) as Float32Array).fill(0, 0, zeroCount);
  const zeros = simd.address(scratch);
  const v = zeros + zeroCount * 4;
  return {
    tilesH,
    tilesW,
    zeros,
    v,
    second: v + 16 * chunk * channels * 4,
    forEachChunk(work: (tile0: number, count: number) => void) {
      for (let tile0 = 0; tile0 < tiles; tile0 += chunk) work(tile0, Math.min(chunk, tiles - tile0));
    },
    dispose: () => backend.disposeData(scratch.dataId),
  };
}

/**
 * y [B, outH, outW, O] = the stride-1 correlation of x [B, H, W, C] with filter [3, 3, C, O], x padded by `top`
 * rows and `left` columns (and zeros wherever a window passes the far edges). `turned`: with the filter turned 180
 * degrees and its channel axes swapped (a convolution's input gradient, filter [3, 3, O, C] as the forward pass
 * holds it), transformed from where it lies.
 */
export function winogradConvolution(
  simd: HeapSimd,
  backend: WasmHeapBackend,
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  [outHeight, outWidth]: [number, number],
  [top, left]: [number, number],
  turned = false,
): tf.TensorInfo {
  const [batch, height, width, channels] = x.shape as [number, number, number, number];
  const [, , filterIn, filterOut] = filter.shape as [number, number, number, number];
  const outChannels = turned ? filterIn : filterOut;
  // Every tensor before any view: an allocation may move the heap.
  const u = backend.makeOutput([16, channels, outChannels], 'float32');
  const asTurned = turned ? backend.makeOutput([16, filterIn, filterOut], 'float32') : null;
  const y = backend.makeOutput([batch, outHeight, outWidth, outChannels], 'float32');
  const {
    tilesH,
    tilesW,
    zeros,
    v,
    second: m,
    forEachChunk,
    dispose,
  } = tiled(simd, backend, batch, [outHeight, outWidth], channels, outChannels);
  // U = G g G^T for every channel pair; turned, from the last tap backwards, then each of the 16 [C, O] as [O, C].
  const pairs = filterIn * filterOut;
  const tapStep = (turned ? -4 : 4) * pairs;
  const start = simd.address(filter) + (turned ? 8 * 4 * pairs : 0);
  simd.winogradFilter(start, simd.address(asTurned ?? u), pairs, tapStep);
  if (asTurned) {
    simd.swapLastTwo(simd.address(asTurned), simd.address(u), 16, filterIn, filterOut);
    backend.disposeData(asTurned.dataId);
  }
  forEachChunk((tile0, count) => {
    simd.winogradInput(
      ...[simd.address(x), v, zeros, batch, height, width, channels, tilesH, tilesW, top, left, tile0, count],
    );
    // 16 products, [count, C] x [C, O] each.
    simd.gemm(
      ...[v, simd.address(u), m, 16, count, channels, outChannels],
      ...[count * channels * 4, channels * outChannels * 4, channels * 4, 4],
    );
    simd.winogradOutput(m, simd.address(y), batch, outHeight, outWidth, outChannels, tilesH, tilesW, tile0, count);
  });
  dispose();
  backend.disposeData(u.dataId);
  return y;
}

/**
 * dW [3, 3, C, O] of the stride-1 correlation of x [B, H, W, C] (padded by `top` and `left`) that gave dy
 * [B, outH, outW, O]: the same transform of x's tiles, dy's 2 x 2 blocks as A dy A^T, and per transformed position
 * the sum over tiles of their products, [C, tiles] x [tiles, O] (x's transform read transposed where it lies),
 * chunk after chunk into the same 16 [C, O]; then G^T m G.
 */
export function winogradFilterGradient(
  simd: HeapSimd,
  backend: WasmHeapBackend,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  [top, left]: [number, number],
): tf.TensorInfo {
  const [batch, height, width, channels] = x.shape as [number, number, number, number];
  const [, outHeight, outWidth, outChannels] = dy.shape as [number, number, number, number];
  // Every tensor before any view: an allocation may move the heap.
  const m = backend.makeOutput([16, channels, outChannels], 'float32');
  const dw = backend.makeOutput([3, 3, channels, outChannels], 'float32');
  const {
    tilesH,
    tilesW,
    zeros,
    v,
    second: z,
    forEachChunk,
    dispose,
  } = tiled(simd, backend, batch, [outHeight, outWidth], channels, outChannels);
  forEachChunk((tile0, count) => {
    simd.winogradInput(
      ...[simd.address(x), v, zeros, batch, height, width, channels, tilesH, tilesW, top, left, tile0, count],
    );
    simd.winogradGradient(
      ...[simd.address(dy), z, zeros, batch, outHeight, outWidth, outChannels, tilesH, tilesW, tile0, count],
    );
    // 16 products, [C, count] x [count, O] each, the first chunk written, the rest added.
    (tile0 === 0 ? simd.gemm : simd.gemmInto)(
      ...[v, z, simd.address(m), 16, channels, count, outChannels],
      ...[count * channels * 4, count * outChannels * 4, 4, channels * 4],
    );
  });
  dispose();
  simd.winogradFilterGradient(simd.address(m), simd.address(dw), channels * outChannels);
  backend.disposeData(m.dataId);
  return dw;
}
