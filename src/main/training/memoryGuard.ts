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

/**
 * What the backend can hold: wasm its heap, the native and cpu backends the free memory of the machine.
 * `perReplica`: the limit is each replica's own (every wasm replica has a heap of its own); otherwise the replicas
 * of a data-parallel run share it.
 */
export interface MemoryLimit {
  bytes: number;
  what: string;
  perReplica: boolean;
}

export function trainingMemoryLimit(backend: BackendName | null, freeBytes: number): MemoryLimit {
  if (backend === 'wasm')
    return { bytes: WASM_HEAP_BYTES, what: `the ${gib(WASM_HEAP_BYTES)} heap of the wasm backend`, perReplica: true };
  if (backend === null)
    return {
      bytes: Math.min(WASM_HEAP_BYTES, freeBytes),
      what: 'what the training backend can hold',
      perReplica: false,
    };
  return {
    bytes: freeBytes,
    what: `the ${gib(freeBytes)} of memory free for the ${backend} backend`,
    perReplica: false,
  };
}

/**
 * Refuses, before a run is created, a model that cannot fit: the estimate (weights, gradients, optimizer state and
 * one batch's activations) against the backend's limit. A wasm run past its heap would abort after tens of seconds
 * and leave the backend broken; this says why in a moment, with both figures. With N data-parallel replicas each
 * holds the weights, gradients and optimizer state, and the activations of its share of the batch: N copies are
 * counted, against each replica's heap (wasm) and against the machine's free memory (`freeBytes`) together.
 */
export function checkTrainingMemory(
  spec: ModelSpec,
  dataset: DatasetSummary,
  hyperParams: HyperParams,
  limit: MemoryLimit,
  freeBytes = Number.POSITIVE_INFINITY,
): void {
  // A run plan's spec is already sized to the dataset's images; sizing it again changes nothing.
  const sized = dataset.imageShape ? withImageShape(spec, dataset.imageShape) : spec;
  // Vocabulary sizes are the spec's caps: the tokenizer may learn fewer, never more.
  const analysis = analyzeSpec(sized, { classes: Math.max(2, dataset.classNames.length) });
  const replicas = Math.max(1, hyperParams.replicas);
  const share = Math.ceil(hyperParams.batchSize / replicas);
  const each = estimateTrainingMemory(sized, analysis, share, hyperParams.optimizer);
  const total = each.total * replicas;
  const over =
    limit.perReplica && replicas > 1
      ? each.total > limit.bytes
        ? limit
        : total > freeBytes
          ? { bytes: freeBytes, what: `the ${gib(freeBytes)} of memory free on this machine` }
          : null
      : total > limit.bytes
        ? limit
        : null;
  if (!over) return;
  const parts =
    `weights ${gib(each.weights)}, gradients ${gib(each.gradients)}, optimizer state ${gib(each.optimizer)}, ` +
    `activations ${gib(each.activations)}`;
  const needs =
    replicas === 1
      ? `needs about ${gib(total)} to train at batch size ${hyperParams.batchSize} (${parts})`
      : `needs about ${gib(total)} to train at batch size ${hyperParams.batchSize} over ${replicas} replicas ` +
        `(each ${gib(each.total)}: ${parts} for its ${share} examples)`;
  const what =
    limit.perReplica && replicas > 1 && over === limit
      ? `${limit.what.replace(/ of the /, " of each replica's ")}`
      : over.what;
  throw new Error(
    `the architecture "${spec.name}" ${needs}, more than ${what}: make the model smaller or lower the batch size` +
      (replicas > 1 ? ' or the replicas' : ''),
  );
}
