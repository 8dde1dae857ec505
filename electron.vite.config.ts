import { readFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import vue from '@vitejs/plugin-vue';

const HEAP_SIMD = resolve('packages/wasm-kernels/src/heap/heapSimd.wasm');

/**
 * The kernels read their SIMD module next to their loader (new URL('./heapSimd.wasm', import.meta.url)); bundled,
 * the loader lands in a chunk elsewhere, so the module is emitted as an asset and the URL pointed at it.
 */
function heapSimdAsset(): Plugin {
  const PLACEHOLDER = '__WORKBENCH_HEAP_SIMD__';
  let reference = '';
  return {
    name: 'workbench:heap-simd-asset',
    transform(code, id) {
      if (!id.endsWith('/heap/heapSimd.ts')) return null;
      reference = this.emitFile({ type: 'asset', name: 'heapSimd.wasm', source: readFileSync(HEAP_SIMD) });
      const replaced = code.replace(
        /new URL\((['"])\.\/heapSimd\.wasm\1, import\.meta\.url\)/,
        `new URL('${PLACEHOLDER}', import.meta.url)`,
      );
      if (replaced === code) throw new Error('heapSimd.ts no longer reads its module where this plugin expects');
      return replaced;
    },
    renderChunk(code, chunk) {
      if (!reference || !code.includes(PLACEHOLDER)) return null;
      const path = relative(dirname(chunk.fileName), this.getFileName(reference)).split(sep).join('/');
      return code.replace(PLACEHOLDER, path.startsWith('.') ? path : `./${path}`);
    },
  };
}

// Main builds five entries that share the services: the Electron app, the training worker and its replicas, the image decode threads and the
// browser host that serves the same UI without Electron (`npm run serve`, end-to-end tests).
export default defineConfig({
  main: {
    build: {
      // The workspace's kernels are TypeScript source: bundled, with their SIMD module copied as an asset.
      externalizeDeps: { exclude: ['@attention-workbench/wasm-kernels'] },
      rolldownOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          trainingWorker: resolve('src/main/training/trainingWorker.ts'),
          // One thread a replica of data-parallel training (src/main/training/replicaRun.ts starts them).
          replicaWorker: resolve('src/main/training/replicaWorker.ts'),
          // The image import's decode threads (src/engine/data/import/decoding/decodePool.ts starts them).
          decodeWorker: resolve('src/engine/data/import/decoding/decodeWorker.ts'),
          // A big text import's tokenize threads (src/engine/data/import/tokenizing/tokenizePool.ts starts them).
          tokenizeWorker: resolve('src/engine/data/import/tokenizing/tokenizeWorker.ts'),
          serve: resolve('src/main/host/serve.ts'),
        },
      },
    },
    plugins: [heapSimdAsset()],
  },
  preload: {
    // A sandboxed preload must be CommonJS.
    build: {
      rolldownOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    build: { rolldownOptions: { input: { index: resolve('src/renderer/index.html') } } },
    plugins: [vue()],
    // vue-i18n's bundler build reads these: the Composition API only, no devtools hooks in the shipped app.
    define: {
      __VUE_I18N_FULL_INSTALL__: true,
      __VUE_I18N_LEGACY_API__: false,
      __INTLIFY_PROD_DEVTOOLS__: false,
    },
  },
});
