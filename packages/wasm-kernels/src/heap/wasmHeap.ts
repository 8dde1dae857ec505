import * as tf from '@tensorflow/tfjs-core';

/**
 * The part of tfjs-backend-wasm's BackendWasm that kernels written in TypeScript use: a new output in the wasm heap,
 * and a typed-array view of a tensor's bytes there. A view is taken afresh after every allocation: growing the heap
 * detaches the views taken before.
 */
export interface WasmHeapBackend extends tf.KernelBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

export function isWasmHeapBackend(backend: tf.KernelBackend): backend is WasmHeapBackend {
  const candidate = backend as Partial<WasmHeapBackend>;
  return typeof candidate.makeOutput === 'function' && typeof candidate.typedArrayFromHeap === 'function';
}

/** The same bytes seen with another shape of as many elements: read-only use by a kernel, so no new reference. */
export const viewAs = (x: tf.TensorInfo, shape: number[]): tf.TensorInfo => ({
  dataId: x.dataId,
  shape,
  dtype: x.dtype,
});

/** A new tensor holding elements [offset, offset + size) of x, shaped `shape`. */
export function copyRange(backend: WasmHeapBackend, x: tf.TensorInfo, offset: number, shape: number[]): tf.TensorInfo {
  const out = backend.makeOutput(shape, x.dtype);
  const size = shape.reduce((a, b) => a * b, 1);
  backend.typedArrayFromHeap(out).set(backend.typedArrayFromHeap(x).subarray(offset, offset + size));
  return out;
}

/**
 * The byte offset of a tensor's data in the wasm heap, as BackendWasm's dataIdMap records it (internals, not public
 * API): what kernels outside tfjs (heap windows, the SIMD module) address tensors by. Null where it is absent.
 */
export function heapAddresses(backend: tf.KernelBackend): ((info: tf.TensorInfo) => number) | null {
  const dataIdMap = (backend as unknown as { dataIdMap?: { get(dataId: tf.DataId): { memoryOffset: number } } })
    .dataIdMap;
  return dataIdMap ? (info) => dataIdMap.get(info.dataId).memoryOffset : null;
}

/** Row lengths below which a plain loop beats making a subarray per row (measured here). */
const SHORT_ROW = 32;

type HeapArray = Float32Array | Int32Array | Uint8Array;

/**
 * Copies `length` elements of `source` from `from` to `target` at `to`: short rows (CBAM's one-channel maps,
 * attention heads' 16 features) in a plain loop, where a subarray per row costs more than the copy; longer ones
 * with set.
 */
export function copyRow(source: HeapArray, from: number, target: HeapArray, to: number, length: number): void {
  if (length < SHORT_ROW) for (let e = 0; e < length; e++) target[to + e] = source[from + e]!;
  else target.set(source.subarray(from, from + length), to);
}
