/** The TensorFlow.js backends the training worker tries, fastest first. */
// WebGPU after CUDA: a GPU of any vendor through Vulkan, Metal or D3D12, where CUDA is absent.
export const BACKEND_ORDER = ['tfjs-node-gpu', 'webgpu', 'tfjs-node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_ORDER)[number];

export interface BackendReport {
  name: BackendName;
  /** Why a faster backend was not used, in one line per backend tried before this one. */
  skipped: { name: BackendName; reason: string }[];
}
