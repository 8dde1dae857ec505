import * as tf from '@tensorflow/tfjs-core';
import { type WasmHeapBackend } from '../heap/wasmHeap';
import { registerOnHeap } from '../heap/registerOnHeap';

/**
 * Identity, and a Cast to the dtype a tensor already has, as a second reference to the same heap bytes, as wasm's
 * own Reshape already answers (and tfjs' cpu backend answers Identity): wasm's kernels copied the whole tensor. The
 * gradient tape and tfjs-layers call Identity ~200 times a step (20 ms of a CNN + CBAM step here), and every ReLU's
 * gradient casts its float32 step to float32 (five copies of a [32, 32, 32, 32] map a CNN + CBAM step, ~1 ms).
 * Tensors are immutable and no kernel writes into its inputs, so sharing the bytes is safe; strings keep wasm's
 * kernel.
 */
interface ReferenceCounted {
  incRef(dataId: tf.DataId): void;
}

function sameBytes(x: tf.TensorInfo, backend: WasmHeapBackend): tf.TensorInfo | null {
  const counted = backend as unknown as Partial<ReferenceCounted>;
  if (x.dtype === 'string' || typeof counted.incRef !== 'function') return null;
  counted.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

export function installIdentityByReference(backendName: string): void {
  registerOnHeap(tf.Identity, backendName, (inputs, _attrs, backend) =>
    sameBytes((inputs as unknown as tf.IdentityInputs as { x: tf.TensorInfo }).x, backend),
  );
  registerOnHeap(tf.Cast, backendName, (inputs, attrs, backend) => {
    const { x } = inputs as unknown as { x: tf.TensorInfo };
    return x.dtype === (attrs as unknown as tf.CastAttrs).dtype ? sameBytes(x, backend) : null;
  });
}
