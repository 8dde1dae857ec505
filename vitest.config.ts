import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Component tests mount the renderer's single-file components.
  plugins: [vue()],
  test: {
    include: ['test/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Training tests saturate a core each; two files at a time fits the 2-core machines this runs on.
    maxWorkers: 2,
  },
});
