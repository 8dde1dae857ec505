import { describe, expect, it } from 'vitest';
import { analyzeSpec, describeIssue } from '../../src/shared/architecture/analyzeSpec';
import { withImageShape } from '../../src/shared/architecture/withImageShape';
import { findPreset } from '../../src/shared/architecture/presets';
import { attentionRollout } from '../../src/shared/attentionRollout';
import { headOverPatches, patchRollout } from '../../src/shared/patchAttention';
import type { PatchGrid } from '../../src/shared/events';

describe('the Vision Transformer preset, inferred', () => {
  it('cuts 28x28 digits into 49 patches plus the class token, with weights and cost computed by hand', () => {
    const spec = withImageShape(findPreset('vit-image')!.spec, { height: 28, width: 28, channels: 1 });
    const { nodes, issues, totalParams } = analyzeSpec(spec, { classes: 10 });
    expect(issues).toEqual([]);
    const [T, D, p] = [7 * 7 + 1, 64, 4];
    expect(nodes['patches']).toEqual({ shape: [T, D], params: p * p * D + D + D, flops: 2 * 49 * p * p * D });
    expect(nodes['position']).toEqual({ shape: [T, D], params: T * D, flops: 0 });
    expect(nodes['classToken']).toEqual({ shape: [D], params: 0, flops: 0 });
    const block = 4 * (D * D + D) + 2 * D + (D * 128 + 128) + (128 * D + D) + 2 * D;
    expect(nodes['encoder1']!.params).toBe(block);
    expect(totalParams).toBe(p * p * D + 2 * D + T * D + 3 * block + 2 * D + (D * 10 + 10));
  });

  it('refuses patches that do not tile the image, naming the parameter', () => {
    const spec = withImageShape(findPreset('vit-image')!.spec, { height: 30, width: 28, channels: 1 });
    const { issues } = analyzeSpec(spec, { classes: 10 });
    expect(issues[0]).toMatchObject({ nodeId: 'patches', param: 'patchSize' });
    expect(describeIssue(issues[0]!)).toMatch(/30 and 28 must be multiples of 4/);
  });
});

const grid: PatchGrid = { rows: 2, columns: 2, classToken: true };
const labels = ['[CLS]', 'r0c0', 'r0c1', 'r1c0', 'r1c1'];
/** One head over [CLS] and 4 patches whose every query looks at `key` alone. */
const lookingAt = (name: string, key: number) => ({
  layer: name,
  kind: 'tokens' as const,
  heads: 1,
  queries: 5,
  keys: 5,
  weights: Float32Array.from({ length: 25 }, (_, i) => (i % 5 === key ? 1 : 0)),
  keyLabels: labels,
  patches: grid,
});

describe('attention over patches', () => {
  it('rollout reads the class token’s row: with one layer, half of it stays on the token, half goes to the patch', () => {
    const rollout = attentionRollout([lookingAt('l1', 3)])!;
    // 0.5 I + 0.5 A, CLS row: [0.5, 0, 0, 0.5, 0]; an average over positions would have given 0.1 to the token.
    expect(rollout.weights).toEqual([0.5, 0, 0, 0.5, 0]);
    const over = patchRollout([lookingAt('l1', 3)])!;
    expect([...over.map.weights]).toEqual([0, 0, 1, 0]);
    expect(over.map).toMatchObject({ rows: 2, columns: 2 });
    expect(over.layers).toEqual(['l1']);
  });

  it('rollout through two layers follows the chain: CLS -> r0c1 -> r1c1', () => {
    // Layer 1: every query looks at r1c1 (key 4); layer 2: every query looks at r0c1 (key 2).
    const over = patchRollout([lookingAt('l1', 4), lookingAt('l2', 2)])!;
    // CLS row of (0.5 I + 0.5 A2)(0.5 I + 0.5 A1): CLS 0.25, r0c1 0.25, r1c1 0.25 + 0.25 = 0.5.
    expect([...over.map.weights]).toEqual([0, 0.5, 0, 1]);
  });

  it('each head’s map is its class-token row over the patches; without a class token, the attention each patch receives', () => {
    const weights = new Float32Array(2 * 25);
    weights.set([0.1, 0.2, 0.3, 0.4, 0], 0); // head 1, CLS row
    for (let q = 0; q < 5; q++) weights[25 + q * 5 + 1] = 1; // head 2: everyone looks at r0c0
    const layer = { ...lookingAt('l', 0), heads: 2, weights };
    expect([...headOverPatches(layer, 0).weights].map((w) => +w.toFixed(6))).toEqual([0.5, 0.75, 1, 0]);
    expect([...headOverPatches(layer, 1).weights]).toEqual([1, 0, 0, 0]);
    const noToken = {
      ...layer,
      queries: 4,
      keys: 4,
      heads: 1,
      patches: { ...grid, classToken: false },
      weights: Float32Array.from([0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0.5, 0.5, 0, 0, 0, 1]),
    };
    // Received: [0, 2, 0.5, 1.5] / 4 queries, scaled to a largest of 1.
    expect([...headOverPatches(noToken, 0).weights]).toEqual([0, 1, 0.25, 0.75]);
  });

  it('a model without patch attention has no patch rollout', () => {
    const { patches: _patches, ...tokens } = lookingAt('l1', 3);
    expect(patchRollout([tokens])).toBeNull();
  });
});
