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
      'no-restricted-imports': ['error', { patterns: [ELECTRON, ...outside('main', 'renderer', 'preload', 'cli')] }],
    },
  },
  prettier,
);
