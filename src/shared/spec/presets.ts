import type { ModelSpec, Task } from './modelSpec';

export interface Preset {
  id: string;
  name: string;
  description: string;
  task: Task;
  defaultDatasetId: string;
  spec: ModelSpec;
}

/** Token + learned positional embedding, two post-norm encoder blocks of 4-head self-attention, mean pool, softmax. */
const transformerText: Preset = {
  id: 'transformer-text',
  name: 'Transformer encoder classifier',
  description: 'Token and positional embedding, 2 encoder blocks with 4-head self-attention, mean-pooled, softmax head.',
  task: 'text-classification',
  defaultDatasetId: 'spam-assassin',
  spec: {
    name: 'Transformer encoder classifier',
    task: 'text-classification',
    inputs: [{ id: 'tokens', kind: 'tokens', maxLength: 64, vocabSize: 8000 }],
    nodes: [
      { id: 'embed', op: 'embedding', params: { dim: 64 }, inputs: ['tokens'] },
      { id: 'position', op: 'positionalEncoding', params: { kind: 'learned' }, inputs: ['embed'] },
      { id: 'encoder1', op: 'transformerEncoder', params: { heads: 4, ffnDim: 128 }, inputs: ['position'] },
      { id: 'encoder2', op: 'transformerEncoder', params: { heads: 4, ffnDim: 128 }, inputs: ['encoder1'] },
      { id: 'pool', op: 'globalAveragePool1d', params: {}, inputs: ['encoder2'] },
      { id: 'dropout', op: 'dropout', params: {}, inputs: ['pool'] },
      { id: 'head', op: 'classifier', params: {}, inputs: ['dropout'] },
    ],
    outputs: ['head'],
  },
};

export const PRESETS: readonly Preset[] = [transformerText];

export function findPreset(id: string): Preset | undefined {
  return PRESETS.find((preset) => preset.id === id);
}
