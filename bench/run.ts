import { cifarImport } from './cifarImport';
import { editorValidation } from './editorValidation';
import { presetThroughput } from './presetThroughput';
import { trainLoopThroughput } from './trainLoopThroughput';
import { trainingThroughput } from './trainingThroughput';

// npm run bench [-- backend]: prints figures; asserts nothing (speed is measured here, never in unit tests).
const backend = process.argv[2] ?? process.env['WORKBENCH_BACKEND'];
console.log = (
  (log) =>
  (...args: unknown[]) =>
    String(args[0]).startsWith('Hi') ? undefined : log(...args)
)(console.log);
console.warn = (
  (warn) =>
  (...args: unknown[]) =>
    String(args[0]).startsWith('Orthogonal') ? undefined : warn(...args)
)(console.warn);
editorValidation();
await cifarImport();
await trainingThroughput(backend);
await trainLoopThroughput(backend);
await presetThroughput(backend);
// The cpu backend is 10-30x slower than wasm: only the one Transformer figure, for comparison.
if (!backend) await trainingThroughput('cpu');
