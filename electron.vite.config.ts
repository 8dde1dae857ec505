import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';

// Main builds three entries that share the services: the Electron app, the training worker, and the browser host
// that serves the same UI without Electron (`npm run serve`, end-to-end tests).
export default defineConfig({
  main: {
    build: {
      rolldownOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          trainingWorker: resolve('src/main/training/trainingWorker.ts'),
          serve: resolve('src/main/host/serve.ts'),
        },
      },
    },
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
