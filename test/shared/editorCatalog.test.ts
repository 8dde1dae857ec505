import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMPOSITE_STRUCTURE } from '../../src/shared/architecture/compositeStructure';
import { INPUT_CATALOG, OP_CATALOG, PALETTE_GROUPS } from '../../src/shared/architecture/opCatalog';
import { OP_SHAPES } from '../../src/shared/architecture/opShapes';
import { opParamSchemas, type OpName } from '../../src/shared/architecture/ops';
import { inputParamFields, opParamFields } from '../../src/shared/architecture/paramFields';

const OPS = Object.keys(opParamSchemas) as OpName[];
const sum = (steps: { params: number }[]) => steps.reduce((total, step) => total + step.params, 0);

describe('the op catalog the palette and inspector read', () => {
  it('places every op in a palette group and explains every parameter its schema has, and no other', () => {
    for (const op of OPS) {
      expect(PALETTE_GROUPS, op).toContain(OP_CATALOG[op].group);
      expect(Object.keys(OP_CATALOG[op].params).sort(), op).toEqual(
        opParamFields(op)
          .map((f) => f.name)
          .sort(),
      );
    }
    for (const kind of ['image', 'tokens'] as const) {
      expect(Object.keys(INPUT_CATALOG[kind].params).sort()).toEqual(
        inputParamFields(kind)
          .map((f) => f.name)
          .sort(),
      );
    }
    // Every group of the palette has blocks.
    for (const group of PALETTE_GROUPS.filter((g) => g !== 'Inputs'))
      expect(
        OPS.some((op) => OP_CATALOG[op].group === group),
        group,
      ).toBe(true);
  });

  it('starts every new block with parameters its schema accepts', () => {
    for (const op of OPS) expect(opParamSchemas[op].safeParse(OP_CATALOG[op].starting ?? {}).success, op).toBe(true);
  });

  it('reads ranges, enums, switches, defaults and optional fields off the schemas', () => {
    const encoder = Object.fromEntries(opParamFields('transformerEncoder').map((f) => [f.name, f]));
    expect(encoder['heads']).toMatchObject({ kind: 'integer', min: 1, max: 64, optional: false });
    expect(encoder['normFirst']).toMatchObject({ kind: 'boolean', defaultValue: false, optional: false });
    expect(encoder['dropout']).toMatchObject({ kind: 'number', min: 0, max: 0.95, optional: true });
    const conv = Object.fromEntries(opParamFields('conv2d').map((f) => [f.name, f]));
    expect(conv['padding']).toMatchObject({ kind: 'enum', options: ['same', 'valid'], defaultValue: 'same' });
    expect(conv['activation']).toMatchObject({ kind: 'enum', defaultValue: 'relu' });
    expect(inputParamFields('tokens').map((f) => f.name)).toEqual(['maxLength', 'vocabSize']);
    expect(inputParamFields('image').find((f) => f.name === 'channels')).toMatchObject({
      kind: 'integer',
      min: 1,
      max: 4,
    });
  });
});

describe('the inside of composite blocks', () => {
  const sequence = fc.tuple(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 16 }));
  it('adds up, step by step, to the weights shape inference counts for the block', () => {
    fc.assert(
      fc.property(
        sequence,
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 256 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 40 }),
        ([length, perHead], heads, ffnDim, normFirst, memory) => {
          const dim = heads * perHead;
          const encoder = { heads, ffnDim, normFirst };
          const input = [length, dim];
          expect(sum(COMPOSITE_STRUCTURE.transformerEncoder!([input], encoder as never))).toBe(
            OP_SHAPES.transformerEncoder([input], encoder, { classes: 2, tokenVocab: null }).params,
          );
          const inputs = [input, [memory, dim]];
          expect(sum(COMPOSITE_STRUCTURE.transformerDecoder!(inputs, encoder as never))).toBe(
            OP_SHAPES.transformerDecoder(inputs, encoder, { classes: 2, tokenVocab: null }).params,
          );
          const attention = { heads, causal: false };
          expect(sum(COMPOSITE_STRUCTURE.multiHeadAttention!(inputs, attention as never))).toBe(
            OP_SHAPES.multiHeadAttention(inputs, attention, { classes: 2, tokenVocab: null }).params,
          );
        },
      ),
      { numRuns: 60 },
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 32 }),
        fc.integer({ min: 1, max: 128 }),
        fc.integer({ min: 1, max: 32 }),
        fc.integer({ min: 1, max: 7 }),
        (side, channels, ratio, half) => {
          const image = [side, side, channels];
          const cbam = { ratio, kernelSize: 2 * half - 1 };
          expect(sum(COMPOSITE_STRUCTURE.cbam!([image], cbam as never))).toBe(
            OP_SHAPES.cbam([image], cbam, { classes: 2, tokenVocab: null }).params,
          );
          expect(sum(COMPOSITE_STRUCTURE.squeezeExcitation!([image], { ratio } as never))).toBe(
            OP_SHAPES.squeezeExcitation([image], { ratio }, { classes: 2, tokenVocab: null }).params,
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('shows the residual additions in the order the engine applies them, post-norm and pre-norm', () => {
    const labels = (normFirst: boolean) =>
      COMPOSITE_STRUCTURE.transformerEncoder!([[10, 8]], { heads: 2, ffnDim: 16, normFirst } as never).map((s) =>
        s.adds ? `Add(${s.adds})` : s.label,
      );
    expect(labels(false)).toEqual([
      'Self-attention, 2 heads',
      'Dropout',
      'Add(block input)',
      'LayerNorm',
      'Dense 16, ReLU',
      'Dense 8',
      'Dropout',
      'Add(after attention)',
      'LayerNorm',
    ]);
    expect(labels(true)).toEqual([
      'LayerNorm',
      'Self-attention, 2 heads',
      'Dropout',
      'Add(block input)',
      'LayerNorm',
      'Dense 16, ReLU',
      'Dense 8',
      'Dropout',
      'Add(after attention)',
    ]);
  });
});
