import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { installWebGpuBoolCast } from './webGpuBoolCast';

/**
 * The WebGPU backend in Node: Dawn (the `webgpu` package's dawn.node, Vulkan on Linux, Metal on macOS, D3D12 on
 * Windows) under @tensorflow/tfjs-backend-webgpu, for GPU training without CUDA on any vendor's GPU. Both packages
 * are optional dependencies. A software adapter (lavapipe, SwiftShader) is refused unless WebGPU is asked for by
 * name: it computes correctly but slower than wasm on the same CPU.
 */

// Module names held in variables so that the bundler leaves these imports to run time.
const DAWN_MODULE = 'webgpu';
const TFJS_WEBGPU_MODULE = '@tensorflow/tfjs-backend-webgpu';

interface DawnModule {
  create(options: string[]): GpuLike;
  globals: Record<string, unknown>;
}
interface AdapterLike {
  isFallbackAdapter?: boolean;
  info?: { vendor?: string; architecture?: string; device?: string; description?: string };
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<AdapterLike | null>;
}

const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|swiftshader|software/i;

export function adapterName(adapter: AdapterLike): string {
  const info = adapter.info ?? {};
  return [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ') || 'unnamed';
}

// Run in a child Node: Dawn and the Vulkan loader write their complaints (no driver, a driver that lacks a
// feature) straight to file descriptor 2, which a CLI user or a test would read as errors of the workbench.
const PROBE = `
const { create } = await import(process.argv.at(-1));
const adapter = await create([]).requestAdapter({ powerPreference: 'high-performance' });
const info = adapter?.info ?? {};
console.log(JSON.stringify(adapter ? { fallback: !!adapter.isFallbackAdapter, info: { vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description } } : null));
process.exit(0);
`;

/** The adapter Dawn offers here, asked in a child process; throws with Dawn's first complaint if there is none. */
function probeAdapter(): AdapterLike {
  const dawnPath = createRequire(import.meta.url).resolve(DAWN_MODULE);
  const probe = spawnSync(process.execPath, ['--input-type=module', '-e', PROBE, pathToFileURL(dawnPath).href], {
    encoding: 'utf8',
    timeout: 30_000,
    // Electron's binary runs as plain Node with this; Node ignores it.
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  const answer = probe.status === 0 ? probe.stdout.trim().split('\n').at(-1) : undefined;
  const adapter = answer ? (JSON.parse(answer) as { fallback: boolean; info: AdapterLike['info'] } | null) : null;
  if (adapter) return { isFallbackAdapter: adapter.fallback, info: adapter.info };
  // Dawn's own reason comes as "Warning: ..." (the loader's lines about XDG_RUNTIME_DIR say nothing about GPUs).
  const complaint = /^Warning: (.+)$/m
    .exec(probe.stderr ?? '')?.[1]
    ?.trim()
    .slice(0, 160);
  throw new Error(`no WebGPU adapter on this machine${complaint ? ` (Dawn: ${complaint})` : ''}`);
}

export async function activateWebGpu(byName: boolean): Promise<void> {
  const found = probeAdapter();
  if (!byName && (found.isFallbackAdapter || SOFTWARE_ADAPTER.test(adapterName(found)))) {
    throw new Error(`only a software adapter (${adapterName(found)}), slower than wasm`);
  }
  const dawn = (await import(DAWN_MODULE)) as DawnModule;
  const gpu = dawn.create([]);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('no WebGPU adapter in this process');
  // tfjs-backend-webgpu finds the GPU where a browser has it, and uses the GPUBufferUsage etc. constants.
  for (const [name, value] of Object.entries(dawn.globals)) {
    if (!(name in globalThis)) Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  }
  const holder = globalThis as { navigator?: object };
  if (!holder.navigator) Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true });
  Object.defineProperty(holder.navigator, 'gpu', { value: gpu, configurable: true });
  await import(TFJS_WEBGPU_MODULE);
  if (!tf.findBackend('webgpu') && !tf.engine().registryFactory['webgpu']) {
    throw new Error('loaded, but registered on a different copy of tfjs-core');
  }
  if (!(await tf.setBackend('webgpu'))) throw new Error('the WebGPU backend failed to initialise');
  installWebGpuBoolCast('webgpu');
}
