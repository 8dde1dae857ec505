import * as tf from '@tensorflow/tfjs-core';
// Training needs every op's gradient. tfjs-core's Node build leaves them out; tfjs-layers' Node build carries them
// and registers them in tfjs-core's global registry when loaded (core's own dist/register_all_gradients is ESM
// with directory imports, which Node refuses outside a bundler).
import '@tensorflow/tfjs-layers';
import { BACKEND_ORDER, type BackendName, type BackendReport } from '../shared/backends';
import { installChainedOps } from './chainedOps';
import { installBroadcastingMatMul } from './broadcastingMatMul';
import { activateWebGpu } from './webGpuBackend';
import { heapSimdProblem, installSegmentSumByScatter, registerWasmKernels } from '@attention-workbench/wasm-kernels';

/**
 * Picks the fastest TensorFlow.js backend that loads here: native TensorFlow with CUDA, native TensorFlow on the
 * CPU, WebAssembly, plain JavaScript. The native packages are optional dependencies (their install downloads
 * libtensorflow), so a missing one is the ordinary case, reported in one line.
 */

// Module names held in variables so that the bundler leaves these imports to run time.
const NATIVE_MODULES: Record<'tfjs-node-gpu' | 'tfjs-node', string> = {
  'tfjs-node-gpu': '@tensorflow/tfjs-node-gpu',
  'tfjs-node': '@tensorflow/tfjs-node',
};

async function activate(name: BackendName, byName: boolean): Promise<void> {
  if (name === 'webgpu') return activateWebGpu(byName);
  if (name === 'tfjs-node-gpu' || name === 'tfjs-node') {
    await import(NATIVE_MODULES[name]);
    // The native package registers 'tensorflow' on the tfjs-core it resolves; if that is another copy, ours never
    // sees it and training would silently run elsewhere.
    if (!tf.findBackend('tensorflow')) throw new Error('loaded, but registered on a different copy of tfjs-core');
    if (!(await tf.setBackend('tensorflow'))) throw new Error('the native backend failed to initialise');
    return;
  }
  // The cpu backend is always registered: the wasm kernels import it (their depthwise gradients run on it).
  if (name === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  if (!(await tf.setBackend(name))) throw new Error(`the ${name} backend failed to initialise`);
  // Kernels that wasm lacks for training, and that are pathologically slow on cpu: packages/wasm-kernels lists them.
  if (name === 'wasm') await registerWasmKernels(tf.backend());
  else installSegmentSumByScatter(name);
  if (name === 'cpu') installBroadcastingMatMul(name);
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  if (/Cannot find (module|package)/.test(text)) return 'not installed';
  return text.split('\n')[0]!.slice(0, 300);
}

/**
 * Activates the first backend of `order` that works. `forced` (WORKBENCH_BACKEND, a test, a benchmark) starts the
 * search at that backend.
 */
export async function selectBackend(forced?: string): Promise<BackendReport> {
  installChainedOps();
  let order: readonly BackendName[] = BACKEND_ORDER;
  if (forced) {
    const index = BACKEND_ORDER.indexOf(forced as BackendName);
    if (index < 0) throw new Error(`unknown backend "${forced}": choose one of ${BACKEND_ORDER.join(', ')}`);
    order = BACKEND_ORDER.slice(index);
  }
  const skipped: BackendReport['skipped'] = [];
  for (const name of order) {
    try {
      await activate(name, name === forced);
      await tf.ready();
      return { name, skipped };
    } catch (error) {
      skipped.push({ name, reason: firstLine(error) });
    }
  }
  throw new Error(
    `no TensorFlow.js backend could be loaded: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`,
  );
}

export function describeBackend(report: BackendReport): string {
  const simd = report.name === 'wasm' ? heapSimdProblem() : null;
  const notes = [...report.skipped.map((s) => `${s.name} ${s.reason}`), ...(simd ? [simd] : [])].join(', ');
  return notes ? `${report.name} (${notes})` : report.name;
}
