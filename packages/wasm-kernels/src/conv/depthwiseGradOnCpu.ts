import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { registerOnHeap } from '../heap/registerOnHeap';

/**
 * Kernels that wasm does not register and that are cheap enough to run in plain JavaScript: the two gradients of
 * a depthwise convolution (C x M multiply-adds per pixel, not C x O). Each call copies its inputs into a private
 * cpu backend, runs tfjs' own cpu kernel there, and copies the result back, so numbers are exactly tfjs'.
 */
export const CPU_FALLBACK_KERNELS = [
  tf.DepthwiseConv2dNativeBackpropFilter,
  tf.DepthwiseConv2dNativeBackpropInput,
] as const;

let privateCpu: MathBackendCPU | null = null;

function createPrivateCpu(): MathBackendCPU {
  const cpu = new MathBackendCPU();
  // Its first write would print tfjs' "install the node backend" banner: this backend is an implementation detail.
  (cpu as unknown as { firstUse: boolean }).firstUse = false;
  return cpu;
}

export function installCpuFallbackKernels(backendName: string): void {
  for (const kernelName of CPU_FALLBACK_KERNELS) {
    if (tf.getKernel(kernelName, backendName)) continue;
    const cpuKernel = tf.getKernel(kernelName, 'cpu');
    if (!cpuKernel) throw new Error(`the cpu backend has no ${kernelName} kernel to fall back on`);
    registerOnHeap(kernelName, backendName, (inputs, attrs, backend) => {
      const cpu = (privateCpu ??= createPrivateCpu());
      const copies: tf.NamedTensorInfoMap = {};
      try {
        for (const [name, info] of Object.entries(inputs)) {
          // A copy: a view into wasm memory would go stale if that memory grows while the cpu kernel runs.
          const values = (backend.readSync(info!.dataId) as Float32Array | Int32Array).slice();
          copies[name] = {
            dataId: cpu.write(values, info!.shape, info!.dtype),
            shape: info!.shape,
            dtype: info!.dtype,
          };
        }
        const result = cpuKernel.kernelFunc({ inputs: copies, backend: cpu, attrs }) as tf.TensorInfo;
        try {
          const values = cpu.readSync(result.dataId);
          return {
            dataId: backend.write(values, result.shape, result.dtype),
            shape: result.shape,
            dtype: result.dtype,
          };
        } finally {
          cpu.disposeData(result.dataId);
        }
      } finally {
        for (const info of Object.values(copies)) cpu.disposeData(info!.dataId);
      }
    });
  }
}
