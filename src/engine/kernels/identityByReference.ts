import * as tf from '@tensorflow/tfjs-core';
import { overrideOnHeap } from './wasmHeap';

/**
 * Identity as a second reference to the same heap bytes, as wasm's own Reshape already answers (and tfjs' cpu
 * backend answers Identity): wasm's Identity copied the whole tensor, and the gradient tape and tfjs-layers call it
 * ~200 times a step (20 ms of a CNN + CBAM step here). Tensors are immutable and no kernel writes into its inputs,
 * so sharing the bytes is safe; strings keep wasm's kernel.
 */
interface ReferenceCounted {
  incRef(dataId: tf.DataId): void;
}

export function installIdentityByReference(backendName: string): void {
  overrideOnHeap(tf.Identity, backendName, (inputs, _attrs, backend) => {
    const { x } = inputs as unknown as { x: tf.TensorInfo };
    const counted = backend as unknown as Partial<ReferenceCounted>;
    if (x.dtype === 'string' || typeof counted.incRef !== 'function') return null;
    counted.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  });
}
