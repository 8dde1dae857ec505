// Lint: TypeScript and Vue rules, formatting left to prettier, and the import boundaries of the design card:
// src/shared imports nothing of the app's other parts, the renderer imports only src/shared, and main never imports
// TensorFlow.js (the training worker reaches it through src/engine; test/main/importClosure.test.ts checks the rest).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import vue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const TFJS = { group: ['@tensorflow/*'], message: 'TensorFlow.js belongs to src/engine and the training worker.' };
const ELECTRON = { group: ['electron'], message: 'Electron belongs to src/main and src/preload.' };
// Inside the engine, a folder imports only the folders below it: io, layers, decode and parallel at the floor, then
// data, models, modelFiles, train, inference; the engine's top-level files (backend, the export job) use them all.
const ENGINE_FOLDERS = ['io', 'layers', 'decode', 'parallel', 'data', 'models', 'modelFiles', 'train', 'inference'];
const engineBelow = (folder, ...forbidden) => ({
  files: [`src/engine/${folder}/**`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ELECTRON,
          ...outside('main', 'renderer', 'preload', 'cli'),
          KERNELS_BY_PATH,
          {
            regex: `^(\\.\\./)+(${forbidden.join('|')})(/|$)`,
            message: `src/engine/${folder} sits below ${forbidden.join(', ')}: it may not import them.`,
          },
          {
            regex: '^(\\.\\./)+(backend|pytorchExportJob|webGpuBackend)$',
            message: "the engine's entry files import its folders, not the reverse.",
          },
        ],
      },
    ],
  },
});
// The kernels are a package: the app imports it by name, and it imports nothing of the app.
const KERNELS_BY_PATH = {
  group: ['**/packages/wasm-kernels/**'],
  message: "import '@attention-workbench/wasm-kernels' by name: its README lists what it exports.",
};
const outside = (...parts) =>
  parts.map((part) => ({
    group: [`**/${part}/**`, `**/${part}`],
    message: `this folder may not import from src/${part}.`,
  }));

export default tseslint.config(
  { ignores: ['out/', 'dist/', 'node_modules/', 'test-results/', 'docs/', 'resources/', '.scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      'vue/multi-word-component-names': 'off',
    },
  },
  {
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            TFJS,
            ELECTRON,
            ...outside('engine', 'main', 'renderer', 'preload', 'cli', 'export'),
            { group: ['node:*'], message: 'src/shared runs in the page too: no Node modules.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            TFJS,
            ELECTRON,
            ...outside('engine', 'main', 'preload', 'cli', 'export'),
            { group: ['node:*'], message: 'the renderer is a sandboxed page: no Node modules.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/main/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [TFJS, ...outside('renderer', 'cli')] }] },
  },
  {
    files: ['src/preload/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [TFJS, ...outside('engine', 'main', 'renderer', 'cli')] }],
    },
  },
  {
    // The PyTorch export writes text and bytes from a spec and named tensors: no TensorFlow.js, no Electron.
    files: ['src/export/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [TFJS, ELECTRON, ...outside('main', 'renderer', 'preload', 'cli')] },
      ],
    },
  },
  {
    files: ['src/engine/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [ELECTRON, KERNELS_BY_PATH, ...outside('main', 'renderer', 'preload', 'cli')] },
      ],
    },
  },
  engineBelow('io', ...ENGINE_FOLDERS.filter((f) => f !== 'io')),
  engineBelow('layers', ...ENGINE_FOLDERS.filter((f) => f !== 'layers')),
  engineBelow('decode', ...ENGINE_FOLDERS.filter((f) => f !== 'decode')),
  engineBelow('parallel', ...ENGINE_FOLDERS.filter((f) => f !== 'parallel')),
  engineBelow('data', 'layers', 'decode', 'parallel', 'models', 'modelFiles', 'train', 'inference'),
  engineBelow('models', 'decode', 'parallel', 'modelFiles', 'train', 'inference'),
  engineBelow('modelFiles', 'decode', 'parallel', 'models', 'train', 'inference'),
  engineBelow('train', 'inference'),
  {
    files: ['packages/wasm-kernels/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ELECTRON,
            {
              group: ['**/src/engine/**', '**/src/shared/**', '**/src/main/**', '**/src/renderer/**', '**/src/cli/**'],
              message: 'the kernels package imports nothing of the app: the app imports it.',
            },
            { group: ['**/test/support/**'], message: "the package's tests have their own support (test/support)." },
          ],
        },
      ],
    },
  },
  prettier,
);
