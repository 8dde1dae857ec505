import { describe, expect, it } from 'vitest';
import { attentionRollout } from '../../src/shared/attentionRollout';

const layer = (name: string, heads: number[][][], labels: string[]) => ({
  layer: name,
  kind: 'tokens' as const,
  heads: heads.length,
  queries: heads[0]!.length,
  keys: heads[0]![0]!.length,
  weights: Float32Array.from(heads.flat(2)),
  keyLabels: labels,
});

describe('attention rollout', () => {
  it('mixes each layer with the identity, multiplies them and reads the product with the pooling query', () => {
    const tokens = ['a', 'b'];
    // Layer 1: two heads whose mean is [[0.5, 0.5], [0.1, 0.9]]; layer 2: [[1, 0], [0, 1]] (already the identity).
    const one = layer(
      'l1',
      [
        [
          [1, 0],
          [0.2, 0.8],
        ],
        [
          [0, 1],
          [0, 1],
        ],
      ],
      tokens,
    );
    const two = layer(
      'l2',
      [
        [
          [1, 0],
          [0, 1],
        ],
      ],
      tokens,
    );
    const pool = layer('pool', [[[0.25, 0.75]]], tokens);
    const result = attentionRollout([one, two, pool])!;
    // By hand: A1 = 0.5*[[.5,.5],[.1,.9]] + 0.5*I = [[.75,.25],[.05,.95]]; A2 = I; R = A2 A1 = A1.
    // Pooling [0.25, 0.75] · R = [0.25*.75 + 0.75*.05, 0.25*.25 + 0.75*.95] = [0.225, 0.775].
    expect(result.labels).toEqual(tokens);
    expect(result.weights[0]).toBeCloseTo(0.225, 6);
    expect(result.weights[1]).toBeCloseTo(0.775, 6);
    expect(result.layers).toEqual(['l1', 'l2', 'pool']);
  });

  it('averages over the positions without a pooling query, and leaves out layers over other tokens', () => {
    const encoder = layer(
      'enc',
      [
        [
          [0, 1],
          [1, 0],
        ],
      ],
      ['x', 'y'],
    );
    const decoder = layer(
      'dec',
      [
        [
          [1, 0, 0],
          [0.5, 0.5, 0],
          [0.3, 0.3, 0.4],
        ],
      ],
      ['<bos>', 'p', 'q'],
    );
    const result = attentionRollout([encoder, decoder])!;
    // A = 0.5*[[0,1],[1,0]] + 0.5*I = [[.5,.5],[.5,.5]]; the mean of its rows is [0.5, 0.5].
    expect(result.weights).toEqual([0.5, 0.5]);
    expect(result.layers).toEqual(['enc']);
    expect(attentionRollout([layer('pool', [[[0.5, 0.5]]], ['x', 'y'])])).toBeNull();
  });
});
