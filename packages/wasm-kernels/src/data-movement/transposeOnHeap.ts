import * as tf from '@tensorflow/tfjs-core';
import { heapSimd } from '../heap/heapSimd';
import { copyRow, type WasmHeapBackend } from '../heap/wasmHeap';
import { registerOnHeap } from '../heap/registerOnHeap';

/**
 * Transpose on the wasm heap. wasm's kernel visits every element through its coordinates (about 9 ns an element
 * here: 1.1 ms for the [2048, 64] of a dense layer's weight gradient, more than the product it feeds). Axes that
 * stay neighbours are merged first and size-1 axes dropped; then either
 * - the innermost axis stays innermost (the [B, T, H, d] <-> [B, H, T, d] of attention's heads): whole rows of it
 *   are copied to their places, or
 * - the last two (merged) axes swap, under any leading ones kept in place: tiled, so that reads and writes both
 *   stay within a few cache lines.
 * Any other permutation is left to wasm's kernel.
 */

/** The transpose as sizes in input order and the order of the output, after merging and dropping. */
function simplify(shape: number[], perm: number[]): { sizes: number[]; order: number[] } {
  const kept = perm.filter((axis) => shape[axis] !== 1);
  const groups: number[][] = [];
  for (const axis of kept) {
    const last = groups.at(-1);
    // Neighbours in the input once the size-1 axes between them are skipped: merged.
    if (last && shape.slice(last.at(-1)! + 1, axis).every((d) => d === 1) && axis > last.at(-1)!) last.push(axis);
    else groups.push([axis]);
  }
  const byInput = [...groups].sort((a, b) => a[0]! - b[0]!);
  return {
    sizes: byInput.map((group) => group.reduce((n, axis) => n * shape[axis]!, 1)),
    order: groups.map((group) => byInput.indexOf(group)),
  };
}

const TILE = 16;

function swapLastTwo(
  source: Float32Array | Int32Array | Uint8Array,
  target: typeof source,
  outer: number,
  m: number,
  n: number,
) {
  for (let o = 0; o < outer; o++) {
    const base = o * m * n;
    for (let i0 = 0; i0 < m; i0 += TILE) {
      const iEnd = Math.min(m, i0 + TILE);
      for (let j0 = 0; j0 < n; j0 += TILE) {
        const jEnd = Math.min(n, j0 + TILE);
        for (let i = i0; i < iEnd; i++) {
          const from = base + i * n;
          for (let j = j0; j < jEnd; j++) target[base + j * m + i] = source[from + j]!;
        }
      }
    }
  }
}

function copyRows(
  source: Float32Array | Int32Array | Uint8Array,
  target: typeof source,
  sizes: number[],
  order: number[],
) {
  const row = sizes.at(-1)!;
  const outer = sizes.slice(0, -1);
  const inputStrides = outer.map((_, axis) => sizes.slice(axis + 1).reduce((a, b) => a * b, 1));
  const outputSizes = order.slice(0, -1).map((axis) => outer[axis]!);
  // The innermost output axis in a tight loop (one stride apart in the input); the axes above it counted.
  const last = outputSizes.length - 1;
  const [count, stride] = [outputSizes[last]!, inputStrides[order[last]!]!];
  if (count === 0) return;
  const groups = outer.reduce((a, b) => a * b, 1) / count;
  const index = new Array<number>(last).fill(0);
  let to = 0;
  for (let group = 0; group < groups; group++) {
    let base = 0;
    for (let k = 0; k < last; k++) base += index[k]! * inputStrides[order[k]!]!;
    for (let i = 0; i < count; i++) {
      copyRow(source, base + i * stride, target, to, row);
      to += row;
    }
    for (let k = last - 1; k >= 0; k--) {
      if (++index[k]! < outputSizes[k]!) break;
      index[k] = 0;
    }
  }
}

function transpose(backend: WasmHeapBackend, x: tf.TensorInfo, perm: number[]): tf.TensorInfo | null {
  const { sizes, order } = simplify(x.shape, perm);
  const last = order.length - 1;
  const rowStays = order[last] === last;
  const swapsLastTwo =
    order.length >= 2 &&
    order[last] === last - 1 &&
    order[last - 1] === last &&
    order.slice(0, -2).every((a, i) => a === i);
  if (order.length > 1 && !rowStays && !swapsLastTwo) return null;
  const out = backend.makeOutput(
    perm.map((axis) => x.shape[axis]!),
    x.dtype,
  );
  const [source, target] = [backend.typedArrayFromHeap(x), backend.typedArrayFromHeap(out)];
  if (order.length <= 1) target.set(source);
  else if (rowStays) {
    const simd = heapSimd();
    const row = sizes.at(-1)!;
    if (simd && x.dtype !== 'bool' && row % 4 === 0 && order.length <= 4) {
      // Up to three outer axes in the WebAssembly module, four lanes a copy; input strides in bytes.
      const outer = sizes.slice(0, -1);
      const strides = outer.map((_, axis) => 4 * sizes.slice(axis + 1).reduce((a, b) => a * b, 1));
      const axes = order.slice(0, -1);
      const [n, s] = [axes.map((a) => outer[a]!), axes.map((a) => strides[a]!)];
      while (n.length < 3) [n, s].forEach((list, k) => list.unshift(k === 0 ? 1 : 0));
      simd.copyRows(simd.address(x), simd.address(out), n[0]!, n[1]!, n[2]!, s[0]!, s[1]!, s[2]!, row);
      return out;
    }
    copyRows(source, target, sizes, order);
  } else {
    const [m, n] = sizes.slice(-2) as [number, number];
    const simd = heapSimd();
    if (simd && x.dtype !== 'bool') {
      // 4-byte elements in the WebAssembly module's tiled loop (bool is one byte: the loop below).
      simd.swapLastTwo(
        simd.address(x),
        simd.address(out),
        sizes.slice(0, -2).reduce((a, b) => a * b, 1),
        m,
        n,
      );
      return out;
    }
    swapLastTwo(
      source,
      target,
      sizes.slice(0, -2).reduce((a, b) => a * b, 1),
      m,
      n,
    );
  }
  return out;
}

export function installTransposeOnHeap(backendName: string): void {
  registerOnHeap(tf.Transpose, backendName, (inputs, attrs, backend) => {
    const { x } = inputs as unknown as { x: tf.TensorInfo };
    const { perm } = attrs as unknown as tf.TransposeAttrs;
    return x.dtype === 'string' || x.shape.length === 0 ? null : transpose(backend, x, [...perm]);
  });
}
