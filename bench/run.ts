import { cifarImport } from './cifarImport';
import { editorValidation } from './editorValidation';
import { presetThroughput } from './presetThroughput';
import { trainLoopThroughput } from './trainLoopThroughput';
import { sideBySide } from './sideBySide';
import { kernelProfile } from './kernelProfile';
import { PRESETS } from '../src/shared/architecture/presets';
import { trainingThroughput } from './trainingThroughput';
import { pytorchExport } from './pytorchExport';
import { replicaThroughput } from './replicaThroughput';
import { sideBySideReplicas } from './sideBySideReplicas';
import { accuracyTargets } from './accuracyTargets';
import { imageFolderImport } from './imageFolderImport';
import { textImport } from './textImport';

// npm run bench [-- backend] [-- side-by-side | profile [preset ids] | pytorch | replicas [preset ids]]: prints
// figures; asserts nothing (speed is measured here, never in unit tests). side-by-side: only the presets against
// PyTorch, all of them or those named, on one thread and on every core (replicas against torch threads); profile: where their training step spends its time, kernel by kernel;
// pytorch: an epoch in the app against its PyTorch export on one process and under torchrun x2; replicas: training
// on 1 and on every core's worth of data-parallel replica threads; accuracy: each preset trained from its default
// recipe against the accuracy its kind is known to reach (about an hour; not part of the default run); images: image
// folders imported at 10k and 100k files and trained from shards; imagenet: a 1.28 M-file folder imported end to end;
// texts: CSVs of 100 MB and 1 GB streamed into token-id shards.
const words = process.argv.slice(2);
const MODES = ['side-by-side', 'profile', 'pytorch', 'replicas', 'accuracy', 'images', 'imagenet', 'texts'];
const sideBySideOnly = words.includes('side-by-side');
const presetIds = words.filter((word) => PRESETS.some((p) => p.id === word));
const backend =
  words.find((word) => !MODES.includes(word) && !presetIds.includes(word)) ?? process.env['WORKBENCH_BACKEND'];
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
if (words.includes('texts')) {
  await textImport();
} else if (words.includes('images') || words.includes('imagenet')) {
  await imageFolderImport(backend, words.includes('imagenet'));
} else if (words.includes('accuracy')) {
  await accuracyTargets(presetIds);
} else if (words.includes('profile')) {
  await kernelProfile(backend, presetIds.length > 0 ? PRESETS.filter((p) => presetIds.includes(p.id)) : PRESETS);
} else if (words.includes('replicas')) {
  await replicaThroughput(backend, presetIds.length > 0 ? presetIds : undefined);
} else if (words.includes('pytorch')) {
  pytorchExport();
} else if (sideBySideOnly) {
  await sideBySide(backend, presetIds);
  await sideBySideReplicas(backend, presetIds);
} else {
  editorValidation();
  await cifarImport();
  await imageFolderImport(backend);
  await textImport();
  await trainingThroughput(backend);
  await trainLoopThroughput(backend);
  await presetThroughput(backend);
  await sideBySide(backend);
  await sideBySideReplicas(backend);
  pytorchExport();
  // The cpu backend is 10-30x slower than wasm: only the one Transformer figure, for comparison.
  if (!backend) await trainingThroughput('cpu');
}
