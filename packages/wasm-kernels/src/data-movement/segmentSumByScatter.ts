import * as tf from '@tensorflow/tfjs-core';

/**
 * UnsortedSegmentSum is the gradient of tf.gather, so every embedding layer needs it to train. wasm does not
 * register it, and the cpu backend's version took 330 s for one call at vocabulary 8000 (measured when this was written).
 * For the 1-D segment ids that gather's gradient uses, it is exactly ScatterNd with the ids as [N, 1] indices:
 * ScatterNd adds the updates that land on the same index.
 */
export function installSegmentSumByScatter(backendName: string): void {
  const scatter = tf.getKernel(tf.ScatterNd, backendName);
  if (!scatter) return;
  const original = tf.getKernel(tf.UnsortedSegmentSum, backendName);
  const scatterFunc = scatter.kernelFunc;
  if (original) tf.unregisterKernel(tf.UnsortedSegmentSum, backendName);

  tf.registerKernel({
    kernelName: tf.UnsortedSegmentSum,
    backendName,
    kernelFunc: (args) => {
      const { x, segmentIds } = args.inputs as unknown as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
      const { numSegments } = args.attrs as unknown as tf.UnsortedSegmentSumAttrs;
      if (segmentIds.shape.length !== 1 || segmentIds.shape[0] !== x.shape[0]) {
        if (original) return original.kernelFunc(args);
        throw new Error(`UnsortedSegmentSum on ${backendName} supports 1-D segment ids matching the first axis only`);
      }
      // A view of the ids as [N, 1]: ScatterNd only reads the data behind dataId, so no copy and no new reference.
      const indices: tf.TensorInfo = { dataId: segmentIds.dataId, shape: [segmentIds.shape[0], 1], dtype: 'int32' };
      return scatterFunc({
        inputs: { indices, updates: x },
        backend: args.backend,
        attrs: { shape: [numSegments, ...x.shape.slice(1)] },
      });
    },
  });
}
