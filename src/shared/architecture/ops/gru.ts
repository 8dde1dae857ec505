import { z } from 'zod';
import { defineOp } from './defineOp';
import { recurrent } from './paramSchemas';
import { recurrentShape } from './shapeRules';
import { recurrentParams } from './paramHelp';

/** GRU: Gated recurrent unit over the sequence. */
export const gru = defineOp({
  schema: z.object(recurrent).strict(),
  shape: ([input], { units, returnSequences }) => recurrentShape(input!, 'gru', units, returnSequences, 1, units),
  catalog: {
    label: 'GRU',
    group: 'Recurrent',
    summary: 'Gated recurrent unit over the sequence.',
    params: recurrentParams,
    starting: { units: 64 },
  },
});
