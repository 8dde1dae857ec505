import type { BackendName } from '../../shared/backends';
import type { DatasetSummary } from '../../shared/datasets';
import type { HyperParams } from '../../shared/hyperParams';
import { analyzeSpec } from '../../shared/architecture/analyzeSpec';
import type { ModelSpec } from '../../shared/architecture/modelSpec';
import { estimateTrainingMemory } from '../../shared/architecture/trainingMemory';
import { withImageShape } from '../../shared/architecture/withImageShape';

/** WebAssembly's 32-bit address space: the most the wasm backend can ever hold, whatever the machine has. */
export const WASM_HEAP_BYTES = 4 * 1024 ** 3;

const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(bytes < 1024 ** 3 ? 2 : 1)} GiB`;

/** What the backend can hold: wasm its heap, the native and cpu backends the free memory of the machine. */
export function trainingMemoryLimit(backend: BackendName | null, freeBytes: number): { bytes: number; what: string } {
  if (backend === 'wasm')
    return { bytes: WASM_HEAP_BYTES, what: `the ${gib(WASM_HEAP_BYTES)} heap of the wasm backend` };
  if (backend === null)
    return { bytes: Math.min(WASM_HEAP_BYTES, freeBytes), what: 'what the training backend can hold' };
  return { bytes: freeBytes, what: `the ${gib(freeBytes)} of memory free for the ${backend} backend` };
}

/**
 * Refuses, before a run is created, a model that cannot fit: the estimate (weights, gradients, optimizer state and
 * one batch's activations) against the backend's limit. A wasm run past its heap would abort after tens of seconds
 * and leave the backend broken; this says why in a moment, with both figures.
 */
export function checkTrainingMemory(
  spec: ModelSpec,
  dataset: DatasetSummary,
  hyperParams: HyperParams,
  limit: { bytes: number; what: string },
): void {
  // A run plan's spec is already sized to the dataset's images; sizing it again changes nothing.
  const sized = dataset.imageShape ? withImageShape(spec, dataset.imageShape) : spec;
  // Vocabulary sizes are the spec's caps: the tokenizer may learn fewer, never more.
  const analysis = analyzeSpec(sized, { classes: Math.max(2, dataset.classNames.length) });
  const memory = estimateTrainingMemory(sized, analysis, hyperParams.batchSize, hyperParams.optimizer);
  if (memory.total <= limit.bytes) return;
  throw new Error(
    `the architecture "${spec.name}" needs about ${gib(memory.total)} to train at batch size ${hyperParams.batchSize} ` +
      `(weights ${gib(memory.weights)}, gradients ${gib(memory.gradients)}, optimizer state ${gib(memory.optimizer)}, activations ${gib(memory.activations)}), ` +
      `more than ${limit.what}: make the model smaller or lower the batch size`,
  );
}
