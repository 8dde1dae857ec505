import { z } from 'zod';
import { defineOp } from './defineOp';
import { recurrent } from './paramSchemas';
import { recurrentShape } from './shapeRules';
import { recurrentParams } from './paramHelp';

/** LSTM: Long short-term memory over the sequence. */
export const lstm = defineOp({
  schema: z.object(recurrent).strict(),
  shape: ([input], { units, returnSequences }) => recurrentShape(input!, 'lstm', units, returnSequences, 1, units),
  catalog: {
    label: 'LSTM',
    group: 'Recurrent',
    summary: 'Long short-term memory over the sequence.',
    params: recurrentParams,
    starting: { units: 64 },
  },
});
