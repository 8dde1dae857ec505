import { describe, expect, it } from 'vitest';
import { checkTrainingMemory, trainingMemoryLimit, WASM_HEAP_BYTES } from '../../src/main/training/memoryGuard';
import type { DatasetSummary } from '../../src/shared/datasets';
import { hyperParamsSchema } from '../../src/shared/hyperParams';
import type { ModelSpec } from '../../src/shared/architecture/modelSpec';
import { PRESETS } from '../../src/shared/architecture/presets';

const summary = (task: DatasetSummary['task'], imageShape?: DatasetSummary['imageShape']): DatasetSummary => ({
  id: 'd',
  name: 'd',
  task,
  description: '',
  source: '',
  classNames: ['a', 'b', 'c'],
  examples: 100,
  origin: 'builtin',
  ...(imageShape ? { imageShape } : {}),
});

/** The case: a 4096 x 4096 x 4 image flattened into a 600-unit layer is about 40 billion weights. */
const HUGE: ModelSpec = {
  name: 'Ten billion',
  task: 'image-classification',
  inputs: [{ id: 'image', kind: 'image', height: 64, width: 64, channels: 3 }],
  nodes: [
    { id: 'flat', op: 'flatten', params: {}, inputs: ['image'] },
    { id: 'wide', op: 'dense', params: { units: 600 }, inputs: ['flat'] },
    { id: 'head', op: 'classifier', params: {}, inputs: ['wide'] },
  ],
  outputs: ['head'],
};

describe('the training memory guard', () => {
  it("takes wasm's 4 GiB heap as its limit, free memory for the other backends, the smaller of both when unknown", () => {
    expect(trainingMemoryLimit('wasm', 64 * 1024 ** 3)).toEqual({
      bytes: WASM_HEAP_BYTES,
      what: 'the 4.0 GiB heap of the wasm backend',
      perReplica: true,
    });
    expect(trainingMemoryLimit('tfjs-node', 10 * 1024 ** 3)).toEqual({
      bytes: 10 * 1024 ** 3,
      what: 'the 10.0 GiB of memory free for the tfjs-node backend',
      perReplica: false,
    });
    expect(trainingMemoryLimit(null, 1024 ** 3).bytes).toBe(1024 ** 3);
    expect(trainingMemoryLimit(null, 64 * 1024 ** 3).bytes).toBe(WASM_HEAP_BYTES);
  });

  it('lets every preset train at its default batch size on wasm', () => {
    const hyperParams = hyperParamsSchema.parse({});
    for (const preset of PRESETS) {
      const dataset = summary(
        preset.task,
        preset.task === 'image-classification' ? { height: 32, width: 32, channels: 3 } : undefined,
      );
      expect(
        () => checkTrainingMemory(preset.spec, dataset, hyperParams, trainingMemoryLimit('wasm', 0)),
        preset.id,
      ).not.toThrow();
    }
  });

  it("sizes an image model by the dataset's images, and refuses one that cannot fit with both figures", () => {
    const hyperParams = hyperParamsSchema.parse({ batchSize: 32 });
    // At 64 x 64 x 3 the dense layer has 7.4 M weights: it fits.
    expect(() =>
      checkTrainingMemory(
        HUGE,
        summary('image-classification', { height: 64, width: 64, channels: 3 }),
        hyperParams,
        trainingMemoryLimit('wasm', 0),
      ),
    ).not.toThrow();
    // At 4096 x 4096 x 4 it has 4096 * 4096 * 4 * 600 = 40.3 billion: 600 GiB of weights, gradients and Adam state.
    const weights = 4096 * 4096 * 4 * 600 + 600 + 600 * 3 + 3;
    const gibs = ((weights * 4 * 4 + 32 * 4 * (4096 * 4096 * 4 * 2 + 600 + 3)) / 1024 ** 3).toFixed(1);
    expect(() =>
      checkTrainingMemory(
        HUGE,
        summary('image-classification', { height: 4096, width: 4096, channels: 4 }),
        hyperParams,
        trainingMemoryLimit('wasm', 0),
      ),
    ).toThrow(
      `the architecture "Ten billion" needs about ${gibs} GiB to train at batch size 32 (weights ${((weights * 4) / 1024 ** 3).toFixed(1)} GiB,`,
    );
  });

  it('counts N copies of the weights, gradients and optimizer state with N replicas, each with its share of the batch', () => {
    const dataset = summary('image-classification', { height: 64, width: 64, channels: 3 });
    // 64 * 64 * 3 * 600 + 600 + 600 * 3 + 3 weights; Adam: weights, gradients and two slots, 4 bytes each.
    const weights = 64 * 64 * 3 * 600 + 600 + 600 * 3 + 3;
    // Activations per example: the image, its flattening, the dense layer and the classifier's logits.
    const activations = (examples: number) => examples * (64 * 64 * 3 * 2 + 600 + 3) * 4;
    const each = weights * 4 * 4 + activations(4);
    const eight = hyperParamsSchema.parse({ batchSize: 32, replicas: 8 });
    const wasm = trainingMemoryLimit('wasm', 0);
    // Each wasm replica has a heap of its own: 8 of them fit in 8 heaps, but not in 500 MB of free memory.
    expect(() => checkTrainingMemory(HUGE, dataset, eight, wasm, 8 * each + 1)).not.toThrow();
    expect(() => checkTrainingMemory(HUGE, dataset, eight, wasm, 8 * each - 1)).toThrow(
      `needs about ${((8 * each) / 1024 ** 3).toFixed(2)} GiB to train at batch size 32 over 8 replicas (each ${(each / 1024 ** 3).toFixed(2)} GiB:`,
    );
    // A native backend's limit is the machine's: the 8 copies together count against it.
    const native = trainingMemoryLimit('tfjs-node', 8 * each - 1);
    expect(() => checkTrainingMemory(HUGE, dataset, eight, native)).toThrow(/or the replicas$/);
    const one = hyperParamsSchema.parse({ batchSize: 32, replicas: 1 });
    expect(() => checkTrainingMemory(HUGE, dataset, one, native)).not.toThrow();
  });
});
