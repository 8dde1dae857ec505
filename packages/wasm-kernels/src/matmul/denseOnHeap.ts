import * as tf from '@tensorflow/tfjs-core';
import { DENSE, DENSE_GRAD, type DenseAttrs } from '../kernelNames';
import type { KernelFunc } from '../conv/convKernelParts';
import { heapSimd, type HeapSimd } from '../heap/heapSimd';
import { registerGradientOnHeap, registerOnHeap } from '../heap/registerOnHeap';
import { viewAs } from '../heap/wasmHeap';

/**
 * A dense layer as one kernel each way. tfjs fuses x W + b and its activation only while no gradient is recorded
 * (or for a linear one), so in training a ReLU layer is BatchMatMul, Add and Relu, and its gradient Cast, Step,
 * Multiply, Sum and Reshapes around the two products: about 18 kernel calls at ~5 us each of tfjs' engine, with the
 * clones it keeps of saved tensors. mlp-image's step was 74 calls, PyTorch's whole step 0.43 ms. Here the forward
 * pass is the registered BatchMatMul (the SIMD product) with the bias and ReLU added in one pass, and the gradient
 * one pass for dz and the bias' sum, then BatchMatMul for dW and, where the tape needs it, dx.
 */
export function installDenseOnHeap(backendName: string): void {
  const product = tf.getKernel(tf.BatchMatMul, backendName)?.kernelFunc as KernelFunc | undefined;
  // Without the SIMD module nothing is registered, and the layer composes tfjs' ops.
  if (!product || !heapSimd()) return;

  registerOnHeap(DENSE, backendName, (inputs, attrs, backend) => {
    const { x, kernel, bias } = inputs as Record<string, tf.TensorInfo | undefined>;
    const { activation } = attrs as unknown as DenseAttrs;
    if (!x || !kernel || x.shape.length !== 2 || kernel.shape.length !== 2 || x.shape[1] !== kernel.shape[0])
      throw new Error(`${DENSE}: x [rows, depth] and kernel [depth, cols], not ${shapes(x, kernel)}`);
    if ([x, kernel, bias].some((t) => t && t.dtype !== 'float32')) throw new Error(`${DENSE}: float32 only`);
    const [rows, depth] = x.shape as [number, number];
    const columns = kernel.shape[1]!;
    if (bias && tf.util.sizeFromShape(bias.shape) !== columns)
      throw new Error(`${DENSE}: a bias of ${columns} values, not [${bias.shape.join(', ')}]`);
    const out = viewAs(
      product({
        inputs: { a: viewAs(x, [1, rows, depth]), b: viewAs(kernel, [1, depth, columns]) },
        backend,
        attrs: { transposeA: false, transposeB: false },
      }) as tf.TensorInfo,
      [rows, columns],
    );
    const simd = needSimd(DENSE);
    const relu = activation === 'relu';
    if (bias || relu)
      simd.denseBiasAct(simd.address(out), bias ? simd.address(bias) : 0, rows, columns, bias ? 1 : 0, relu ? 1 : 0);
    return out;
  });

  registerOnHeap(DENSE_GRAD, backendName, (inputs, attrs, backend) => {
    const { dy, y } = inputs as Record<string, tf.TensorInfo | undefined>;
    const relu = (attrs as unknown as DenseAttrs).activation === 'relu';
    if (!dy || dy.shape.length !== 2 || dy.dtype !== 'float32' || (relu && (!y || y.dtype !== 'float32')))
      throw new Error(`${DENSE_GRAD}: dy [rows, cols] float32 (and y for relu)`);
    const [rows, columns] = dy.shape as [number, number];
    const dz = relu ? backend.makeOutput([rows, columns], 'float32') : null;
    const db = backend.makeOutput([columns], 'float32');
    const simd = needSimd(DENSE_GRAD);
    const acc = backend.makeOutput([2 * columns], 'float32');
    const address = (t: tf.TensorInfo | null | undefined) => (t ? simd.address(t) : 0);
    simd.denseGrad(address(dy), address(y), address(dz), address(db), address(acc), rows, columns, relu ? 1 : 0);
    backend.disposeData(acc.dataId);
    return dz ? [dz, db] : [db];
  });

  registerGradientOnHeap(
    DENSE,
    backendName,
    (dyOrList, saved, attrs) => {
      const dy = dyOrList as tf.Tensor2D;
      const [x, kernel, y] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      const { activation } = attrs as unknown as DenseAttrs;
      const relu = activation === 'relu';
      const parts = tf
        .engine()
        .runKernel(DENSE_GRAD, relu ? { dy, y } : { dy }, { activation } as unknown as tf.NamedAttrMap) as tf.Tensor[];
      const [dz, db] = (relu ? parts : [dy, parts[0]]) as [tf.Tensor2D, tf.Tensor1D];
      return {
        x: () => tf.matMul(dz, kernel, false, true),
        kernel: () => tf.matMul(x, dz, true, false),
        bias: () => db,
      };
    },
    { inputsToSave: ['x', 'kernel'], outputsToSave: [true] },
  );
}

const shapes = (...tensors: (tf.TensorInfo | undefined)[]) =>
  tensors.map((t) => (t ? `[${t.shape.join(', ')}]` : 'none')).join(' and ');

function needSimd(kernelName: string): HeapSimd {
  const simd = heapSimd();
  if (!simd) throw new Error(`${kernelName} needs the heap SIMD module`);
  return simd;
}
