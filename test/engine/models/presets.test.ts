import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/engine/backend';
import { buildModel } from '../../../src/engine/models/buildModel';
import { analyzeSpec } from '../../../src/shared/spec/analyzeSpec';
import { modelSpecSchema } from '../../../src/shared/spec/modelSpec';
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

  it('every preset: shape inference counts the same parameters as the built tf model', () => {
    for (const preset of PRESETS) {
      const binding = { vocabSize: 321, classes: 5, dropout: 0 };
      const analysis = analyzeSpec(preset.spec, binding);
      expect(analysis.issues).toEqual([]);
      const { model } = buildModel(preset.spec, binding);
      expect(analysis.totalParams).toBe(model.countParams());
      for (const id of preset.spec.outputs) expect([null, ...analysis.nodes[id]!.shape]).toEqual(model.outputs[0]!.shape);
      model.dispose();
    }
  });

  it('refuses a spec that analyzeSpec rejects, naming the node and parameter', () => {
    const badHeads = structuredClone(findPreset('transformer-text')!.spec);
    badHeads.nodes[2]!.params = { heads: 5, ffnDim: 8 };
    expect(() => buildModel(badHeads, { vocabSize: 50, classes: 2, dropout: 0 })).toThrow(
      'the model cannot be built: node "encoder1", parameter "heads": 5 heads do not divide the model width 64',
    );
  });
});
