import { describe, expect, it } from 'vitest';
import { crossAlignment } from '../../src/shared/crossAlignment';

const layer = (name: string, queryLabels: string[], keyLabels: string[], heads: number[][][]) => ({
  layer: name,
  kind: 'tokens' as const,
  queryLabels,
  keyLabels,
  heads: heads.length,
  queries: queryLabels.length,
  keys: keyLabels.length,
  weights: Float32Array.from(heads.flat(2)),
});

describe('the alignment of a decoded sentence', () => {
  const source = ['x', 'y', 'z'];
  const target = ['c', 'b', '<eos>'];
  const encoder = layer('encoder1', source, source, [
    [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ],
  ]);
  const decoderSelf = layer('decoder1_self', target, target, [
    [
      [1, 0, 0],
      [0.5, 0.5, 0],
      [0.3, 0.3, 0.4],
    ],
  ]);
  const firstCross = layer('decoder1_cross', target, source, [
    [
      [1, 0, 0],
      [1, 0, 0],
      [1, 0, 0],
    ],
  ]);
  const lastCross = layer('decoder2_cross', target, source, [
    [
      [0, 0.2, 0.8],
      [0, 1, 0],
      [0.6, 0.2, 0.2],
    ],
    [
      [0, 0.4, 0.6],
      [0.2, 0.6, 0.2],
      [0.8, 0.2, 0],
    ],
  ]);

  it('is the last cross-attention, its heads averaged, with each decoded token’s most attended source token', () => {
    const found = crossAlignment([encoder, decoderSelf, firstCross, lastCross], source)!;
    expect(found.layer.layer).toBe('decoder2_cross (mean of 2 heads)');
    expect(found.layer.heads).toBe(1);
    expect([...found.layer.weights].map((w) => +w.toFixed(6))).toEqual([0, 0.3, 0.7, 0.1, 0.8, 0.1, 0.7, 0.2, 0.1]);
    expect(found.aligned).toEqual([2, 1, 0]);
  });

  it('is null for a model without cross-attention', () => {
    expect(crossAlignment([encoder, decoderSelf], source)).toBeNull();
  });
});
