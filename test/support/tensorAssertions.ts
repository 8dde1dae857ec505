// One comparison for every test of tensors: the kernels package's.
export { expectClose } from '../../packages/wasm-kernels/test/support/tensorAssertions';
