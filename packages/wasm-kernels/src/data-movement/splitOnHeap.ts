import * as tf from '@tensorflow/tfjs-core';
import { copyRow, type WasmHeapBackend } from '../heap/wasmHeap';
import { registerOnHeap } from '../heap/registerOnHeap';

/**
 * SplitV, the inverse of Concat (and its gradient): x seen as [outer, total], output i takes each row's columns
 * [start_i, start_i + width_i). wasm slices every output through a general strided slice; CBAM's spatial gate splits
 * the gradient of its two [B, H, W, 1] maps back apart, 2 x 32,768 one-element rows (~9 ms there). Strings stay with
 * wasm's kernel.
 */
function split(backend: WasmHeapBackend, x: tf.TensorInfo, sizes: number[], axis: number): tf.TensorInfo[] {
  const size = (dims: number[]) => dims.reduce((a, b) => a * b, 1);
  const outer = size(x.shape.slice(0, axis));
  const inner = size(x.shape.slice(axis + 1));
  const total = x.shape[axis]! * inner;
  const outputs = sizes.map((s) =>
    backend.makeOutput(
      x.shape.map((d, a) => (a === axis ? s : d)),
      x.dtype,
    ),
  );
  const source = backend.typedArrayFromHeap(x);
  let column = 0;
  outputs.forEach((output, i) => {
    const width = sizes[i]! * inner;
    const target = backend.typedArrayFromHeap(output);
    for (let o = 0; o < outer; o++) {
      copyRow(source, o * total + column, target, o * width, width);
    }
    column += width;
  });
  return outputs;
}

/** wasm's SplitV replaced by the copies above; other backends keep theirs. */
export function installSplitOnHeap(backendName: string): void {
  registerOnHeap(tf.SplitV, backendName, (inputs, attrs, backend) => {
    const { x } = inputs as unknown as { x: tf.TensorInfo };
    const { numOrSizeSplits, axis } = attrs as unknown as tf.SplitVAttrs;
    if (x.dtype === 'string') return null;
    const along = tf.util.parseAxisParam(axis, x.shape)[0]!;
    const sizes = tf.backend_util.prepareSplitSize(x as tf.TensorInfo as tf.Tensor, numOrSizeSplits, along);
    return split(backend, x, sizes, along);
  });
}
