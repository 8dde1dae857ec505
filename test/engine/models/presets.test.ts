import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/engine/backend';
import { buildModel, topologicalOrder } from '../../../src/engine/models/buildModel';
import { modelSpecSchema, type ModelSpec } from '../../../src/shared/spec/modelSpec';
import { opParamSchemas, isOpName } from '../../../src/shared/spec/ops';
import { PRESETS, findPreset } from '../../../src/shared/spec/presets';

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('presets', () => {
  it('are valid specs whose nodes use known ops with valid params', () => {
    for (const preset of PRESETS) {
      expect(modelSpecSchema.parse(preset.spec)).toEqual(preset.spec);
      for (const node of preset.spec.nodes) {
        expect(isOpName(node.op)).toBe(true);
        expect(opParamSchemas[node.op as keyof typeof opParamSchemas].safeParse(node.params).success).toBe(true);
      }
    }
  });

  it('transformer-text builds with the parameter count of its formula', () => {
    const V = 500;
    const C = 3;
    const { model, probe, attentionLayers } = buildModel(findPreset('transformer-text')!.spec, { vocabSize: V, classes: C, dropout: 0.1 });
    const [T, D, F] = [64, 64, 128];
    const block = 4 * (D * D + D) + 2 * 2 * D + (D * F + F) + (F * D + D);
    expect(model.countParams()).toBe(V * D + T * D + 2 * block + (D * C + C));
    expect(attentionLayers).toEqual(['encoder1_attention', 'encoder2_attention']);
    expect(probe.outputs.map((o) => o.shape)).toEqual([[null, C], [null, 4, T, T], [null, 4, T, T]]);
    model.dispose();
  });

  it('names the node at fault for a dangling input, a cycle or bad params', () => {
    const base = findPreset('transformer-text')!.spec;
    const withNodes = (nodes: ModelSpec['nodes']): ModelSpec => ({ ...base, nodes });
    expect(() => topologicalOrder(withNodes([{ id: 'a', op: 'dense', params: { units: 2 }, inputs: ['ghost'] }]))).toThrow(
      'node "a" reads "ghost", which is neither an input nor a node',
    );
    expect(() =>
      topologicalOrder(
        withNodes([
          { id: 'a', op: 'dense', params: { units: 2 }, inputs: ['b'] },
          { id: 'b', op: 'dense', params: { units: 2 }, inputs: ['a'] },
        ]),
      ),
    ).toThrow(/is part of a cycle/);
    const badHeads = structuredClone(base);
    badHeads.nodes[2]!.params = { heads: 0, ffnDim: 8 };
    expect(() => buildModel(badHeads, { vocabSize: 50, classes: 2, dropout: 0 })).toThrow(/node "encoder1" \(transformerEncoder\): parameter "heads"/);
  });
});
