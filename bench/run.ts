import { cifarImport } from './cifarImport';
import { editorValidation } from './editorValidation';
import { presetThroughput } from './presetThroughput';
import { trainLoopThroughput } from './trainLoopThroughput';
import { sideBySide } from './sideBySide';
import { PRESETS } from '../src/shared/spec/presets';
import { trainingThroughput } from './trainingThroughput';

// npm run bench [-- backend] [-- side-by-side [preset ids]]: prints figures; asserts nothing (speed is measured
// here, never in unit tests). side-by-side: only the presets against PyTorch, all of them or those named.
const words = process.argv.slice(2);
const sideBySideOnly = words.includes('side-by-side');
const presetIds = words.filter((word) => PRESETS.some((p) => p.id === word));
const backend =
  words.find((word) => word !== 'side-by-side' && !presetIds.includes(word)) ?? process.env['WORKBENCH_BACKEND'];
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
if (sideBySideOnly) {
  await sideBySide(backend, presetIds);
} else {
  editorValidation();
  await cifarImport();
  await trainingThroughput(backend);
  await trainLoopThroughput(backend);
  await presetThroughput(backend);
  await sideBySide(backend);
  // The cpu backend is 10-30x slower than wasm: only the one Transformer figure, for comparison.
  if (!backend) await trainingThroughput('cpu');
}
