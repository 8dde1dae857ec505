import { z } from 'zod';
import { defineOp } from './defineOp';
import { expectSequence } from './shapeRules';

/** Positional encoding: Adds a vector per position so that attention, which ignores order, can tell positions apart. */
export const positionalEncoding = defineOp({
  schema: z
    .object({ kind: z.enum(['learned', 'sinusoidal']).default('learned'), scaleInput: z.boolean().default(true) })
    .strict(),
  shape: ([input], { kind }) => {
    const [length, dim] = expectSequence(input!, 'positional encoding');
    return { shape: [length, dim], params: kind === 'learned' ? length * dim : 0, flops: 0 };
  },
  catalog: {
    label: 'Positional encoding',
    group: 'Transformer',
    summary: 'Adds a vector per position so that attention, which ignores order, can tell positions apart.',
    params: {
      kind: "Learned: one trained vector per position. Sinusoidal: Vaswani et al.'s fixed sines and cosines.",
      scaleInput:
        "Multiply the input by √width first, as Vaswani et al. do for token embeddings; off for a ViT's patches, which are added to as they are.",
    },
  },
});
