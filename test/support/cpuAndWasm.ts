// The same cpu-then-wasm comparison as the kernels package's tests.
export { onCpuAndWasm } from '../../packages/wasm-kernels/test/support/cpuAndWasm';
