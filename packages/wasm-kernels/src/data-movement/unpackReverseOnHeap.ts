import * as tf from '@tensorflow/tfjs-core';
import { type WasmHeapBackend } from '../heap/wasmHeap';
import { registerOnHeap } from '../heap/registerOnHeap';

/** Elements before, along and after `axis`: a tensor seen as [outer, length, inner]. */
function around(shape: number[], axis: number) {
  const size = (dims: number[]) => dims.reduce((a, b) => a * b, 1);
  return { outer: size(shape.slice(0, axis)), length: shape[axis]!, inner: size(shape.slice(axis + 1)) };
}

/**
 * Unpack (tf.unstack) along axis: output i holds, for every outer index, the `inner` contiguous elements at i. The
 * recurrent layers unstack their input into time steps; wasm's kernel sliced the whole input once per step (38 ms a
 * call for [32, 64, 64] here, this takes well under one).
 */
function unpack(backend: WasmHeapBackend, value: tf.TensorInfo, axis: number): tf.TensorInfo[] {
  const { outer, length, inner } = around(value.shape, axis);
  const shape = value.shape.filter((_, a) => a !== axis);
  const outputs = Array.from({ length }, () => backend.makeOutput(shape, value.dtype));
  const source = backend.typedArrayFromHeap(value);
  outputs.forEach((output, i) => {
    const target = backend.typedArrayFromHeap(output);
    for (let o = 0; o < outer; o++) {
      const from = (o * length + i) * inner;
      target.set(source.subarray(from, from + inner), o * inner);
    }
  });
  return outputs;
}

/**
 * Reverse along some axes: every block after the last reversed axis is copied whole, to its mirrored place (the
 * backward direction of a bidirectional RNN reverses time: [B, T, F] is B x T copies of F elements).
 */
function reverse(backend: WasmHeapBackend, x: tf.TensorInfo, dims: number[]): tf.TensorInfo {
  const rank = x.shape.length;
  const axes = new Set(dims.map((d) => (d < 0 ? d + rank : d)));
  const out = backend.makeOutput(x.shape, x.dtype);
  const [source, target] = [backend.typedArrayFromHeap(x), backend.typedArrayFromHeap(out)];
  if (target.length === 0) return out;
  const last = Math.max(-1, ...axes);
  const block = x.shape.slice(last + 1).reduce((a, b) => a * b, 1);
  const outerShape = x.shape.slice(0, last + 1);
  const strides = outerShape.map((_, axis) => outerShape.slice(axis + 1).reduce((a, b) => a * b, 1));
  const blocks = outerShape.reduce((a, b) => a * b, 1);
  for (let index = 0; index < blocks; index++) {
    // The source block of output block `index`: its coordinates, mirrored on the reversed axes.
    let [rest, from] = [index, 0];
    for (let axis = 0; axis < outerShape.length; axis++) {
      const coordinate = Math.floor(rest / strides[axis]!);
      rest -= coordinate * strides[axis]!;
      from += (axes.has(axis) ? outerShape[axis]! - 1 - coordinate : coordinate) * strides[axis]!;
    }
    target.set(source.subarray(from * block, (from + 1) * block), index * block);
  }
  return out;
}

/** wasm's Unpack and Reverse replaced by the block copies above; other backends keep theirs. */
export function installUnpackReverseOnHeap(backendName: string): void {
  registerOnHeap(tf.Unpack, backendName, (inputs, attrs, backend) => {
    const { value } = inputs as unknown as { value: tf.TensorInfo };
    const { axis } = attrs as unknown as tf.UnpackAttrs;
    return value.dtype === 'string' ? null : unpack(backend, value, axis < 0 ? axis + value.shape.length : axis);
  });
  registerOnHeap(tf.Reverse, backendName, (inputs, attrs, backend) => {
    const { x } = inputs as unknown as { x: tf.TensorInfo };
    const { dims } = attrs as unknown as tf.ReverseAttrs;
    return x.dtype === 'string' ? null : reverse(backend, x, typeof dims === 'number' ? [dims] : [...dims]);
  });
}
