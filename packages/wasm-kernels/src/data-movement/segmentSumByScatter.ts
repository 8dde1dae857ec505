import * as tf from '@tensorflow/tfjs-core';
import { registerOnAnyBackend } from '../heap/registerOnHeap';

/**
 * UnsortedSegmentSum is the gradient of tf.gather, so every embedding layer needs it to train. wasm does not
 * register it, and the cpu backend's version took 330 s for one call at vocabulary 8000 (measured when this was
 * written). For the 1-D segment ids that gather's gradient uses, it is exactly ScatterNd with the ids as [N, 1]
 * indices: ScatterNd adds the updates that land on the same index. Other segment ids keep the backend's kernel
 * (none on wasm: an error names what is supported).
 */
export function installSegmentSumByScatter(backendName: string): void {
  const scatter = tf.getKernel(tf.ScatterNd, backendName)?.kernelFunc;
  if (!scatter) return;
  const hasOwn = tf.getKernel(tf.UnsortedSegmentSum, backendName) !== undefined;
  registerOnAnyBackend(tf.UnsortedSegmentSum, backendName, (inputs, attrs, backend) => {
    const { x, segmentIds } = inputs as unknown as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
    const { numSegments } = attrs as unknown as tf.UnsortedSegmentSumAttrs;
    if (segmentIds.shape.length !== 1 || segmentIds.shape[0] !== x.shape[0]) {
      if (hasOwn) return null;
      throw new Error(`UnsortedSegmentSum on ${backendName} supports 1-D segment ids matching the first axis only`);
    }
    // A view of the ids as [N, 1]: ScatterNd only reads the data behind dataId, so no copy and no new reference.
    const indices: tf.TensorInfo = { dataId: segmentIds.dataId, shape: [segmentIds.shape[0], 1], dtype: 'int32' };
    return scatter({
      inputs: { indices, updates: x },
      backend,
      attrs: { shape: [numSegments, ...x.shape.slice(1)] },
    }) as tf.TensorInfo;
  });
}
