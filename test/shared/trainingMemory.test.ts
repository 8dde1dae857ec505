import { describe, expect, it } from 'vitest';
import { analyzeSpec } from '../../src/shared/architecture/analyzeSpec';
import type { ModelSpec } from '../../src/shared/architecture/modelSpec';
import { estimateTrainingMemory } from '../../src/shared/architecture/trainingMemory';

describe('estimateTrainingMemory', () => {
  it('counts weights, gradients, optimizer slots and a batch of activations of a small MLP, as worked out by hand', () => {
    const spec: ModelSpec = {
      name: 'mlp',
      task: 'image-classification',
      inputs: [{ id: 'image', kind: 'image', height: 4, width: 4, channels: 1 }],
      nodes: [
        { id: 'flat', op: 'flatten', params: {}, inputs: ['image'] },
        { id: 'hidden', op: 'dense', params: { units: 8 }, inputs: ['flat'] },
        { id: 'head', op: 'classifier', params: {}, inputs: ['hidden'] },
      ],
      outputs: ['head'],
    };
    const analysis = analyzeSpec(spec, { classes: 3 });
    const weights = (16 * 8 + 8 + 8 * 3 + 3) * 4; // 163 floats
    const activations = (16 + 16 + 8 + 3) * 10 * 4; // image, flatten, hidden, head per example, batch of 10
    expect(estimateTrainingMemory(spec, analysis, 10, 'adam')).toEqual({
      weights,
      gradients: weights,
      optimizer: 2 * weights,
      activations,
      total: 4 * weights + activations,
    });
    expect(estimateTrainingMemory(spec, analysis, 10, 'sgd').total).toBe(3 * weights + activations);
  });

  it('keeps the inner layers and the attention maps of a Transformer block for the backward pass', () => {
    const [T, D, F, H] = [6, 8, 16, 2];
    const spec: ModelSpec = {
      name: 'encoder',
      task: 'sequence-labelling',
      inputs: [{ id: 'tokens', kind: 'tokens', maxLength: T, vocabSize: 50 }],
      nodes: [
        { id: 'embed', op: 'embedding', params: { dim: D }, inputs: ['tokens'] },
        { id: 'encoder', op: 'transformerEncoder', params: { heads: H, ffnDim: F }, inputs: ['embed'] },
        { id: 'tags', op: 'tokenClassifier', params: {}, inputs: ['encoder'] },
      ],
      outputs: ['tags'],
    };
    const analysis = analyzeSpec(spec, { classes: 5, vocabSize: 50 });
    // Inside the block: attention, dropout, add, norm, ffn1 [T, F], ffn2, dropout, add, and the last norm (the output).
    const inner = 7 * T * D + T * F;
    const perExample = T + T * D + (T * D + inner + H * T * T) + T * 5;
    const weights = analysis.totalParams * 4;
    expect(estimateTrainingMemory(spec, analysis, 3, 'adam').activations).toBe(perExample * 3 * 4);
    expect(estimateTrainingMemory(spec, analysis, 3, 'adam').total).toBe(4 * weights + perExample * 3 * 4);
  });
});
