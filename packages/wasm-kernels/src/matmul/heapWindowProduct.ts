import type * as tf from '@tensorflow/tfjs-core';
import { heapAddresses } from '../heap/wasmHeap';

/**
 * One fast product on windows into tensors already on the wasm heap: [m, k] at an element offset of A times
 * [k, n] at an offset of B, written at an offset of the output. tfjs-backend-wasm's C++ side knows a tensor only as
 * an id, a heap address and a size (register_tensor; dispose_data forgets the id and frees nothing, the JS side
 * frees), so a window is an id registered at an address inside a tensor: the batch items of an attention product
 * need no copies in or out, only XNNPACK's own set-up per item. Null where the backend is not the wasm backend this
 * was written against (its internals are not public API), so the caller copies instead.
 */
interface WasmModule {
  cwrap(name: string, returns: null, args: string[]): (...args: unknown[]) => void;
  tfjs?: { registerTensor?: (id: number, size: number, offset: number) => void; disposeData?: (id: number) => void };
}

interface WasmBackendInternals {
  wasm?: WasmModule;
  dataIdNextNumber?: number;
}

export type WindowProduct = (
  a: tf.TensorInfo,
  aOffset: number,
  b: tf.TensorInfo,
  bOffset: number,
  out: tf.TensorInfo,
  outOffset: number,
) => void;

const products = new WeakMap<object, (...args: unknown[]) => void>();

export function windowProduct(anyBackend: tf.KernelBackend, m: number, k: number, n: number): WindowProduct | null {
  const backend = anyBackend as unknown as WasmBackendInternals;
  const { wasm } = backend;
  const tfjs = wasm?.tfjs;
  const heapAddress = heapAddresses(anyBackend);
  if (!wasm || !heapAddress || typeof backend.dataIdNextNumber !== 'number') return null;
  if (typeof tfjs?.registerTensor !== 'function' || typeof tfjs.disposeData !== 'function') return null;
  const { registerTensor, disposeData } = tfjs as Required<NonNullable<WasmModule['tfjs']>>;
  let product = products.get(wasm);
  if (!product) {
    // The exported C function tfjs' own BatchMatMul kernel calls: ids, shapes as int32 bytes, transposes, out id.
    product = wasm.cwrap('BatchMatMul', null, [
      'number',
      'array',
      'number',
      'number',
      'array',
      'number',
      'number',
      'number',
      'number',
    ]);
    products.set(wasm, product);
  }
  const call = product;
  const shapeBytes = (rows: number, columns: number) => new Uint8Array(new Int32Array([1, rows, columns]).buffer);
  const [aShape, bShape] = [shapeBytes(m, k), shapeBytes(k, n)];
  const address = (x: tf.TensorInfo, offset: number) => heapAddress(x) + offset * 4;
  return (a, aOffset, b, bOffset, out, outOffset) => {
    const ids = [0, 1, 2].map(() => backend.dataIdNextNumber!++);
    const [aId, bId, outId] = ids as [number, number, number];
    registerTensor(aId, m * k, address(a, aOffset));
    registerTensor(bId, k * n, address(b, bOffset));
    registerTensor(outId, m * n, address(out, outOffset));
    try {
      call(aId, aShape, 3, bId, bShape, 3, false, false, outId);
    } finally {
      // Forgets the ids and deletes the XNNPACK operator cached on B's; the memory stays its tensors'.
      for (const id of ids) disposeData(id);
    }
  };
}
