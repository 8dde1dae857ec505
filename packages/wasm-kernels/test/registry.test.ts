import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { KERNEL_REGISTRY, registerWasmKernels } from '../src';
import * as names from '../src/kernelNames';

const PACKAGE = new URL('../', import.meta.url).pathname;
const ROOT = resolve(PACKAGE, '../..');
const FAMILIES = ['matmul', 'conv', 'norm', 'pool', 'recurrent', 'softmax-loss', 'elementwise', 'data-movement'];
const kernelsOf = (backendName: string) => new Set(tf.getKernelsForBackend(backendName).map((k) => k.kernelName));
const isKernel = (name: string) => !name.endsWith(' gradient');

describe('the registry table', () => {
  it('lists exactly what registerWasmKernels registers: replacements of kernels wasm has, additions of ones it lacks', async () => {
    expect(await tf.setBackend('wasm')).toBe(true);
    const before = kernelsOf('wasm');
    const report = await registerWasmKernels(tf.backend());
    const after = kernelsOf('wasm');
    expect(report.simdProblem).toBeNull();
    const replaced = KERNEL_REGISTRY.flatMap((entry) => entry.replaces);
    const added = KERNEL_REGISTRY.flatMap((entry) => entry.adds).filter(isKernel);
    // In the table's order: an entry replaces what wasm or an entry above registered, and adds only what is new.
    const known = new Set(before);
    for (const entry of KERNEL_REGISTRY) {
      expect(
        entry.replaces.filter((name) => !known.has(name)),
        `${entry.test}: replaces, absent`,
      ).toEqual([]);
      expect(
        entry.adds.filter((name) => known.has(name)),
        `${entry.test}: adds, present`,
      ).toEqual([]);
      for (const name of entry.adds) known.add(name);
    }
    expect([...after].filter((name) => !before.has(name)).sort()).toEqual([...new Set(added)].sort());
    expect(new Set(report.kernels)).toEqual(new Set([...replaced, ...KERNEL_REGISTRY.flatMap((entry) => entry.adds)]));
  });

  it('a second call registers nothing twice', async () => {
    const wrapped = tf.getKernel(tf.BatchMatMul, 'wasm')!.kernelFunc;
    await registerWasmKernels(tf.backend());
    expect(tf.getKernel(tf.BatchMatMul, 'wasm')!.kernelFunc).toBe(wrapped);
  });

  it('names every kernel of kernelNames.ts once, in a known family, with a test that exists', () => {
    const named = Object.values(names).filter((value) => typeof value === 'string');
    const adds = KERNEL_REGISTRY.flatMap((entry) => entry.adds);
    for (const name of named)
      expect(
        adds.filter((a) => a === name),
        name,
      ).toHaveLength(1);
    for (const entry of KERNEL_REGISTRY) {
      expect(FAMILIES).toContain(entry.family);
      expect(existsSync(join(ROOT, entry.test)), entry.test).toBe(true);
      expect(entry.takes.length).toBeGreaterThan(10);
    }
    expect(new Set(KERNEL_REGISTRY.map((entry) => entry.family))).toEqual(new Set(FAMILIES));
  });
});

/** Every .ts file under a folder. */
function sources(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(folder, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(folder, entry.name)]
        : [],
  );
}

describe('the package boundary', () => {
  const manifest = JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8')) as Record<string, object>;
  const declared = new Set([
    ...Object.keys(manifest['peerDependencies'] ?? {}),
    ...Object.keys(manifest['devDependencies'] ?? {}),
  ]);

  it('imports nothing of the app, and no package it does not declare', () => {
    const files = ['src', 'build', 'test', 'bench'].flatMap((folder) =>
      existsSync(join(PACKAGE, folder)) ? sources(join(PACKAGE, folder)) : [],
    );
    expect(files.length).toBeGreaterThan(50);
    // Tests and benches also run on what every tfjs program has: tfjs-layers for gradients, vitest, prettier.
    const forTests = new Set(['@tensorflow/tfjs-layers', 'vitest', 'prettier']);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/^(?:import|export)\s[^;]*?from '([^']+)'|^import '([^']+)'/gm)) {
        const specifier = (match[1] ?? match[2])!;
        if (specifier.startsWith('.')) {
          const target = relative(PACKAGE, resolve(dirname(file), specifier));
          expect(target.startsWith('..'), `${relative(PACKAGE, file)} imports ${specifier}`).toBe(false);
        } else if (!specifier.startsWith('node:')) {
          const name = specifier
            .split('/')
            .slice(0, specifier.startsWith('@') ? 2 : 1)
            .join('/');
          const allowed = declared.has(name) || (!file.includes('/src/') && forTests.has(name));
          expect(allowed, `${relative(PACKAGE, file)} imports ${specifier}`).toBe(true);
        }
      }
    }
  });
});
