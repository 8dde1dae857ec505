import * as tf from '@tensorflow/tfjs-core';

type KernelFunc = (args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }) => unknown;

const installed = new Set<string>();

/**
 * tfjs' cpu BatchMatMul pairs batch items by index modulo each side's batch size, which is right only when one side
 * has a single item or both the same batch shape: [2, 1, 5, 3] x [1, 3, 3, 7] came out with wrong values (5.6 off).
 * Batch axes that broadcast both ways (numpy's rule: right-aligned, 1 stretches) are tiled out to the full batch
 * shape first, then multiplied; every other product goes to tfjs' kernel as before. The wasm backend's product
 * (packages/wasm-kernels, fastMatMul.ts) handles this case itself.
 */
export function installBroadcastingMatMul(backendName: string): void {
  const original = tf.getKernel(tf.BatchMatMul, backendName);
  const reshape = tf.getKernel(tf.Reshape, backendName)?.kernelFunc as KernelFunc | undefined;
  const tile = tf.getKernel(tf.Tile, backendName)?.kernelFunc as KernelFunc | undefined;
  if (!original || !reshape || !tile || installed.has(backendName)) return;
  installed.add(backendName);
  const product = original.kernelFunc as KernelFunc;
  tf.unregisterKernel(tf.BatchMatMul, backendName);
  tf.registerKernel({
    ...original,
    kernelFunc: ((args: Parameters<KernelFunc>[0]) => {
      const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      const rank = Math.max(a.shape.length, b.shape.length) - 2;
      const outerOf = (x: tf.TensorInfo) => [
        ...new Array<number>(rank - (x.shape.length - 2)).fill(1),
        ...x.shape.slice(0, -2),
      ];
      const [outerA, outerB] = [outerOf(a), outerOf(b)];
      const outer = outerA.map((d, axis) => Math.max(d, outerB[axis]!));
      const short = (dims: number[]) => dims.some((d, axis) => d !== outer[axis]);
      if (!short(outerA) || !short(outerB)) return product(args);
      const { backend } = args;
      const full = (x: tf.TensorInfo, dims: number[]) => {
        const aligned = reshape({ inputs: { x }, backend, attrs: { shape: [...dims, ...x.shape.slice(-2)] } });
        const reps = [...outer.map((d, axis) => d / dims[axis]!), 1, 1];
        const tiled = tile({ inputs: { x: aligned as tf.TensorInfo }, backend, attrs: { reps } }) as tf.TensorInfo;
        (backend as tf.KernelBackend).disposeData((aligned as tf.TensorInfo).dataId);
        return tiled;
      };
      const [fullA, fullB] = [full(a, outerA), full(b, outerB)];
      try {
        return product({ ...args, inputs: { a: fullA, b: fullB } });
      } finally {
        (backend as tf.KernelBackend).disposeData(fullA.dataId);
        (backend as tf.KernelBackend).disposeData(fullB.dataId);
      }
    }) as tf.KernelFunc,
  });
}
