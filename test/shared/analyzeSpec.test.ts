import { describe, expect, it } from 'vitest';
import { analyzeSpec, describeIssue } from '../../src/shared/architecture/analyzeSpec';
import type { ModelSpec } from '../../src/shared/architecture/modelSpec';
import { findPreset } from '../../src/shared/architecture/presets';

const preset = findPreset('transformer-text')!.spec;
const withNodes = (nodes: ModelSpec['nodes'], outputs = preset.outputs): ModelSpec => ({ ...preset, nodes, outputs });
const messages = (spec: ModelSpec) => analyzeSpec(spec, { vocabSize: 100, classes: 3 }).issues.map(describeIssue);

describe('analyzeSpec', () => {
  it('infers every node of the Transformer preset with its weights and cost, computed by hand', () => {
    const { nodes, issues, totalParams, totalFlops } = analyzeSpec(preset, { vocabSize: 8000, classes: 2 });
    expect(issues).toEqual([]);
    const [T, D, F] = [64, 64, 128];
    const blockParams = 4 * (D * D + D) + 4 * D + 2 * D * F + F + D;
    const blockFlops = 8 * T * D * D + 4 * T * T * D + 4 * T * D * F;
    expect(nodes['tokens']).toEqual({ shape: [T], params: 0, flops: 0 });
    expect(nodes['embed']).toEqual({ shape: [T, D], params: 8000 * D, flops: 0 });
    expect(nodes['position']).toEqual({ shape: [T, D], params: T * D, flops: 0 });
    expect(nodes['encoder1']).toEqual({ shape: [T, D], params: blockParams, flops: blockFlops });
    expect(nodes['pool']!.shape).toEqual([D]);
    expect(nodes['head']).toEqual({ shape: [2], params: D * 2 + 2, flops: 2 * D * 2 });
    expect(totalParams).toBe(8000 * D + T * D + 2 * blockParams + D * 2 + 2);
    expect(totalFlops).toBe(2 * blockFlops + 4 * D);
  });

  it('names the node and parameter of each problem, in words, and keeps going after the first', () => {
    const nodes = structuredClone(preset.nodes);
    nodes[2]!.params = { heads: 5, ffnDim: 128 };
    nodes[3]!.params = { heads: 4, ffnDim: -1 };
    expect(messages(withNodes(nodes))).toEqual([
      'node "encoder1", parameter "heads": 5 heads do not divide the model width 64',
      expect.stringMatching(/^node "encoder2", parameter "ffnDim": /),
    ]);
  });

  it('reports a dangling input, a cycle, a duplicate id, an unknown op and a missing output', () => {
    expect(
      messages(
        withNodes(
          [
            { id: 'embed', op: 'embedding', params: { dim: 8 }, inputs: ['tokens'] },
            { id: 'a', op: 'dense', params: { units: 4 }, inputs: ['b'] },
            { id: 'b', op: 'dense', params: { units: 4 }, inputs: ['a'] },
            { id: 'c', op: 'dense', params: { units: 4 }, inputs: ['ghost'] },
            { id: 'embed', op: 'dropout', params: {}, inputs: ['tokens'] },
            { id: 'd', op: 'wormhole', params: {}, inputs: ['embed'] },
          ],
          ['head'],
        ),
      ),
    ).toEqual([
      'node "embed": the id "embed" is used twice',
      'node "a": "a" is part of a cycle: a node cannot read its own output',
      'node "c", parameter "inputs": reads "ghost", which is neither an input nor a node',
      'the graph, parameter "outputs": output "head" is not a node of the graph',
      'node "d", parameter "op": unknown op "wormhole"',
    ]);
  });

  it('refuses a sequence op on a pooled vector and a classifier on a sequence', () => {
    expect(
      messages(
        withNodes([
          { id: 'embed', op: 'embedding', params: { dim: 8 }, inputs: ['tokens'] },
          { id: 'pool', op: 'globalAveragePool1d', params: {}, inputs: ['embed'] },
          { id: 'encoder', op: 'transformerEncoder', params: { heads: 2, ffnDim: 8 }, inputs: ['pool'] },
          { id: 'head', op: 'classifier', params: {}, inputs: ['embed'] },
        ]),
      ),
    ).toEqual([
      'node "encoder", parameter "inputs": a Transformer encoder block needs a sequence of vectors [T, D]; it gets [8]: it is a single vector',
      'node "head", parameter "inputs": the classifier needs one vector per example [D]; it gets [64, 8]: pool the sequence first',
    ]);
  });

  it('reports wrong arity, mismatched merges, a window too large, an image op on a sequence, and a graph that does not fit its task', () => {
    const image = { id: 'image', kind: 'image' as const, height: 8, width: 8, channels: 3 };
    const imageSpec = (nodes: ModelSpec['nodes']): ModelSpec => ({
      name: 'x',
      task: 'image-classification',
      inputs: [image],
      nodes,
      outputs: ['head'],
    });
    const found = (spec: ModelSpec) => analyzeSpec(spec, { classes: 4 }).issues.map(describeIssue);
    expect(
      found(
        imageSpec([
          { id: 'a', op: 'conv2d', params: { filters: 4, kernelSize: 3 }, inputs: ['image'] },
          { id: 'b', op: 'conv2d', params: { filters: 6, kernelSize: 3 }, inputs: ['image'] },
          { id: 'sum', op: 'add', params: {}, inputs: ['a', 'b'] },
          { id: 'big', op: 'conv2d', params: { filters: 2, kernelSize: 9, padding: 'valid' }, inputs: ['image'] },
          { id: 'lonely', op: 'add', params: {}, inputs: ['a'] },
          { id: 'lstm', op: 'lstm', params: { units: 4 }, inputs: ['a'] },
          { id: 'se', op: 'squeezeExcitation', params: {}, inputs: ['image'] },
          { id: 'pool', op: 'globalAveragePool2d', params: {}, inputs: ['se'] },
          { id: 'head', op: 'classifier', params: {}, inputs: ['pool'] },
        ]),
      ),
    ).toEqual([
      'node "sum", parameter "inputs": adds tensors of different shapes: [8, 8, 4] and [8, 8, 6]',
      'node "big", parameter "kernelSize": a window of 9 does not fit in 8 positions without padding',
      'node "lonely", parameter "inputs": add reads 2 to 16 inputs; it has 1',
      'node "lstm", parameter "inputs": an LSTM needs a sequence of vectors [T, D]; it gets [8, 8, 4]: it is an image, pool or flatten it first',
    ]);
    // Sound graphs that do not fit the task or leave a node dangling.
    expect(
      found(
        imageSpec([
          { id: 'conv', op: 'conv2d', params: { filters: 4, kernelSize: 3 }, inputs: ['image'] },
          { id: 'unused', op: 'dense', params: { units: 3 }, inputs: ['conv'] },
          { id: 'head', op: 'flatten', params: {}, inputs: ['conv'] },
        ]),
      ),
    ).toEqual([
      'node "unused": does not lead to the output "head": connect it or delete it',
      'node "head", parameter "outputs": image-classification models output [4]; this one gives [256]: end with a classifier on one vector',
    ]);
    const tagger = structuredClone(findPreset('transformer-tagger')!.spec);
    tagger.nodes.push(
      { id: 'pool', op: 'globalAveragePool1d', params: {}, inputs: ['norm'] },
      { id: 'vector', op: 'classifier', params: {}, inputs: ['pool'] },
    );
    tagger.outputs = ['vector'];
    tagger.nodes = tagger.nodes.filter((n) => n.id !== 'tags');
    expect(found(tagger)).toEqual([
      'node "vector", parameter "outputs": sequence-labelling models output [24, 4]; this one gives [4]: end with a per-token classifier on the sequence',
    ]);
    const seq2seq = structuredClone(findPreset('transformer-seq2seq')!.spec);
    seq2seq.nodes.find((n) => n.id === 'decoder1')!.inputs = ['targetPosition'];
    expect(found(seq2seq)).toEqual([
      'node "decoder1", parameter "inputs": transformerDecoder reads 2 inputs; it has 1',
    ]);
  });
});
