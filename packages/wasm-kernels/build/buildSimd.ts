import { writeFileSync } from 'node:fs';
import { assembleSimdModule, simdInterface } from './simdModule';

// npm run build (and npm ci, through the workspace's prepare): the SIMD module's binary and its typed interface,
// next to the loader that uses them.
const binary = await assembleSimdModule();
const wasmPath = new URL('../src/heap/heapSimd.wasm', import.meta.url);
const interfacePath = new URL('../src/heap/heapSimdExports.ts', import.meta.url);
writeFileSync(wasmPath, binary);
writeFileSync(interfacePath, await simdInterface());
console.log(`heapSimd.wasm: ${binary.length.toLocaleString('en')} bytes`);
