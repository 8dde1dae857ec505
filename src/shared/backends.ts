/** The TensorFlow.js backends the training worker tries, fastest first. */
export const BACKEND_ORDER = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_ORDER)[number];

export interface BackendReport {
  name: BackendName;
  /** Why a faster backend was not used, in one line per backend tried before this one. */
  skipped: { name: BackendName; reason: string }[];
}
