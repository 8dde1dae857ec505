import * as tf from '@tensorflow/tfjs-core';
import { copyRow, type WasmHeapBackend } from '../heap/wasmHeap';
import { registerOnHeap } from '../heap/registerOnHeap';

/**
 * Concat as wasm does it (each input [outer, inner_i], rows interleaved into [outer, sum inner_i]), but short rows
 * copied in a plain loop: CBAM's spatial gate concatenates two [B, H, W, 1] maps along channels, 2 x 32,768 rows of
 * one element, where a subarray per row made wasm's kernel take 9 ms. Strings, and a concat of one non-empty input,
 * stay with wasm's kernel.
 */
function concat(backend: WasmHeapBackend, inputs: tf.TensorInfo[], axis: number): tf.TensorInfo | null {
  const size = (dims: number[]) => dims.reduce((a, b) => a * b, 1);
  const present = inputs.filter((t) => size(t.shape) > 0);
  if (present.length < 2 || present[0]!.dtype === 'string') return null;
  tf.backend_util.assertParamsConsistent(
    inputs.map((t) => t.shape),
    axis,
  );
  const out = backend.makeOutput(
    tf.backend_util.computeOutShape(
      inputs.map((t) => t.shape),
      axis,
    ),
    present[0]!.dtype,
  );
  const outer = size(present[0]!.shape.slice(0, axis));
  const widths = present.map((t) => size(t.shape.slice(axis)));
  const total = widths.reduce((a, b) => a + b, 0);
  const sources = present.map((t) => backend.typedArrayFromHeap(t));
  const target = backend.typedArrayFromHeap(out);
  let column = 0;
  sources.forEach((source, i) => {
    const width = widths[i]!;
    for (let o = 0; o < outer; o++) {
      copyRow(source, o * width, target, o * total + column, width);
    }
    column += width;
  });
  return out;
}

/** wasm's Concat replaced by the copies above; other backends keep theirs. */
export function installConcatOnHeap(backendName: string): void {
  registerOnHeap(tf.Concat, backendName, (inputs, attrs, backend) => {
    const tensors = Object.values(inputs) as tf.TensorInfo[];
    const { axis } = attrs as unknown as tf.ConcatAttrs;
    return concat(backend, tensors, tf.util.parseAxisParam(axis, tensors[0]!.shape)[0]!);
  });
}
