import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc } from '../conv/convKernelParts';
import { heapSimd } from '../heap/heapSimd';
import { registerOnHeap } from '../heap/registerOnHeap';

/**
 * A dense layer's fused product (tfjs' _FusedMatMul: x W + b, then an activation) as the registered BatchMatMul
 * (fastMatMul.ts: the SIMD module's product) followed by the bias and a ReLU added in place, four lanes at a time.
 * wasm's own _FusedMatMul is XNNPACK's fully connected operator, which packs W at every call, and in training W is
 * new at every step: [2048, 128] x [128, 64] + b took ~0.9 ms here, ~0.7 this way. tfjs fuses only a linear
 * activation while it records gradients, so that is the case that matters; 'relu' is taken too, other activations,
 * a PReLU's weights, a bias that is not one value per column, or columns not in fours keep wasm's kernel.
 */
export function installFusedMatMulOnHeap(backendName: string): void {
  const product = tf.getKernel(tf.BatchMatMul, backendName)?.kernelFunc as KernelFunc | undefined;
  if (!product) return;
  registerOnHeap(tf._FusedMatMul, backendName, (inputs, attrs, backend) => {
    const { a, b, bias, preluActivationWeights } = inputs as Record<string, tf.TensorInfo | undefined>;
    const { transposeA, transposeB, activation } = attrs as unknown as tf._FusedMatMulAttrs;
    const simd = heapSimd();
    if (!simd || preluActivationWeights || (activation !== 'linear' && activation !== 'relu')) return null;
    if (!a || !b || a.dtype !== 'float32' || b.dtype !== 'float32') return null;
    const columns = transposeB ? b.shape.at(-2)! : b.shape.at(-1)!;
    if (columns % 4 !== 0 || (bias && (bias.dtype !== 'float32' || tf.util.sizeFromShape(bias.shape) !== columns))) {
      return null;
    }
    const out = product({ inputs: { a, b }, backend, attrs: { transposeA, transposeB } as unknown as tf.NamedAttrMap });
    const size = tf.util.sizeFromShape(out.shape);
    const at = simd.address(out);
    if (bias) simd.rowsAdd(at, simd.address(bias), at, 1, size / columns, columns);
    if (activation === 'relu') simd.reluInPlace(at, size);
    return out;
  });
}
