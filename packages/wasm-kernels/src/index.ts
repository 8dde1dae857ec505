// The package's whole surface: one call that registers the kernels, the table of what it registers, the names of the
// kernels it adds (for the layers that run them), and the SIMD module's switches for tests and reports.
export { registerWasmKernels, type WasmKernelOptions, type WasmKernelReport } from './registerWasmKernels';
export { KERNEL_REGISTRY, type Family, type KernelEntry } from './registry';
export * from './kernelNames';
export { heapSimd, heapSimdProblem, withoutHeapSimd, type HeapSimd } from './heap/heapSimd';
export { fusedAdamLimit } from './elementwise/adamUpdateOnHeap';
export { installSegmentSumByScatter } from './data-movement/segmentSumByScatter';
export { rationalSigmoid, rationalTanh } from './elementwise/rationalTanh';
export { layerNormOnHeap } from './norm/layerNormOnHeap';
export { fusedBatchNormInTraining } from './norm/batchNormTraining';
export { broadcastRun } from './elementwise/broadcastArithmetic';
export { isWasmHeapBackend, type WasmHeapBackend } from './heap/wasmHeap';
