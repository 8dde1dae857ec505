import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/engine/backend';
import { buildModel } from '../../../src/engine/models/buildModel';
import { analyzeSpec } from '../../../src/shared/architecture/analyzeSpec';
import { modelSpecSchema } from '../../../src/shared/architecture/modelSpec';
import { opParamSchemas, isOpName } from '../../../src/shared/architecture/ops';
import { PRESETS, findPreset } from '../../../src/shared/architecture/presets';
import { withImageShape } from '../../../src/shared/architecture/withImageShape';

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
    const { model, probe, attention } = buildModel(findPreset('transformer-text')!.spec, {
      vocabSizes: { tokens: V },
      classes: C,
      dropout: 0.1,
    });
    const [T, D, F] = [64, 64, 128];
    const block = 4 * (D * D + D) + 2 * 2 * D + (D * F + F) + (F * D + D);
    expect(model.countParams()).toBe(V * D + T * D + 2 * block + (D * C + C));
    expect(attention.map((a) => a.layer)).toEqual(['encoder1_attention', 'encoder2_attention']);
    expect(probe.outputs.map((o) => o.shape)).toEqual([
      [null, C],
      [null, 4, T, T],
      [null, 4, T, T],
    ]);
    model.dispose();
  });

  it('every preset: shape inference gives the parameters and output shape of the built tf model', () => {
    for (const preset of PRESETS) {
      const vocabSizes = Object.fromEntries(preset.spec.inputs.map((input, i) => [input.id, 321 + i * 17]));
      const binding = { vocabSizes, classes: 5, dropout: 0 };
      const analysis = analyzeSpec(preset.spec, binding);
      expect(analysis.issues).toEqual([]);
      const { model } = buildModel(preset.spec, binding);
      expect(analysis.totalParams, preset.id).toBe(model.countParams());
      for (const id of preset.spec.outputs)
        expect([null, ...analysis.nodes[id]!.shape]).toEqual(model.outputs[0]!.shape);
      model.dispose();
    }
  });

  it('the fully-connected baselines have within 5% of the weights of the attention models they are compared with', () => {
    const params = (id: string) => analyzeSpec(findPreset(id)!.spec, { classes: 4 }).totalParams;
    expect(Math.abs(params('mlp-image') / params('conv-attention-image') - 1)).toBeLessThan(0.05);
    expect(Math.abs(params('mlp-text') / params('transformer-text') - 1)).toBeLessThan(0.05);
  });

  it('places an attention map for every attention layer, with its kind and axes', () => {
    const vocabSizes = { tokens: 300, source: 40, target: 30 };
    const built = (id: string) => buildModel(findPreset(id)!.spec, { vocabSizes, classes: 6, dropout: 0 });
    const seq2seq = built('transformer-seq2seq');
    expect(seq2seq.attention.map((a) => [a.layer, a.queryOrigin, a.keyOrigin])).toEqual([
      ['encoder1_attention', 'source', 'source'],
      ['encoder2_attention', 'source', 'source'],
      ['decoder1_self_attention', 'target', 'target'],
      ['decoder1_cross_attention', 'target', 'source'],
      ['decoder2_self_attention', 'target', 'target'],
      ['decoder2_cross_attention', 'target', 'source'],
    ]);
    expect(seq2seq.probe.outputs.slice(1).map((o) => o.shape.slice(2))).toEqual([
      [32, 32],
      [32, 32],
      [12, 12],
      [12, 32],
      [12, 12],
      [12, 32],
    ]);
    const cnn = built('conv-attention-image');
    expect(cnn.attention.map((a) => [a.layer, a.kind])).toEqual([
      ['cbam1:channels', 'channels'],
      ['cbam1:spatial', 'spatial'],
      ['cbam2:channels', 'channels'],
      ['cbam2:spatial', 'spatial'],
      ['cbam3:channels', 'channels'],
      ['cbam3:spatial', 'spatial'],
    ]);
    expect(cnn.probe.outputs.slice(1, 3).map((o) => o.shape)).toEqual([
      [null, 1, 1, 32],
      [null, 1, 32, 32],
    ]);
    const lstm = built('cnn-lstm-text');
    expect(lstm.attention.map((a) => [a.layer, a.kind, a.queryOrigin, a.keyOrigin])).toEqual([
      ['attention', 'tokens', null, 'tokens'],
    ]);
    for (const model of [seq2seq, cnn, lstm]) model.model.dispose();
  });

  it('vit-image: every encoder attends over the class token and the image’s patches, and says so', () => {
    const spec = withImageShape(findPreset('vit-image')!.spec, { height: 28, width: 28, channels: 1 });
    const { model, probe, attention } = buildModel(spec, { vocabSizes: {}, classes: 10, dropout: 0 });
    const grid = { rows: 7, columns: 7, classToken: true };
    expect(attention.map((a) => [a.layer, a.kind, a.patches])).toEqual([
      ['encoder1_attention', 'tokens', grid],
      ['encoder2_attention', 'tokens', grid],
      ['encoder3_attention', 'tokens', grid],
    ]);
    expect(probe.outputs.slice(1).map((o) => o.shape)).toEqual(Array(3).fill([null, 4, 50, 50]));
    model.dispose();
    // Mean pooling instead of a class token: 49 positions, and the grid says there is no token.
    const pooled = {
      ...spec,
      nodes: spec.nodes.map((n) =>
        n.id === 'patches'
          ? { ...n, params: { ...n.params, classToken: false } }
          : n.id === 'classToken'
            ? { ...n, op: 'globalAveragePool1d' }
            : n,
      ),
    };
    const built = buildModel(pooled, { vocabSizes: {}, classes: 10, dropout: 0 });
    expect(built.attention[0]!.patches).toEqual({ rows: 7, columns: 7, classToken: false });
    built.model.dispose();
  });

  it('refuses a spec that analyzeSpec rejects, naming the node and parameter', () => {
    const badHeads = structuredClone(findPreset('transformer-text')!.spec);
    badHeads.nodes[2]!.params = { heads: 5, ffnDim: 8 };
    expect(() => buildModel(badHeads, { vocabSizes: { tokens: 50 }, classes: 2, dropout: 0 })).toThrow(
      'the model cannot be built: node "encoder1", parameter "heads": 5 heads do not divide the model width 64',
    );
  });
});
