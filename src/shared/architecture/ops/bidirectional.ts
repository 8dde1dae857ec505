import { z } from 'zod';
import { defineOp } from './defineOp';
import { recurrent } from './paramSchemas';
import { recurrentShape } from './shapeRules';
import { recurrentParams } from './paramHelp';

/** Bidirectional RNN: The same recurrent cell read forwards and backwards, merged. */
export const bidirectional = defineOp({
  schema: z
    .object({
      cell: z.enum(['lstm', 'gru']).default('lstm'),
      ...recurrent,
      merge: z.enum(['concat', 'sum']).default('concat'),
    })
    .strict(),
  shape: ([input], { cell, units, returnSequences, merge }) =>
    recurrentShape(input!, cell, units, returnSequences, 2, merge === 'concat' ? 2 * units : units),
  catalog: {
    label: 'Bidirectional RNN',
    group: 'Recurrent',
    summary: 'The same recurrent cell read forwards and backwards, merged.',
    params: {
      cell: 'LSTM or GRU.',
      ...recurrentParams,
      merge: 'Concatenate the two directions (2x units wide) or sum them.',
    },
    starting: { units: 32 },
  },
});
