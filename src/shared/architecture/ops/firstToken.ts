import { z } from 'zod';
import { defineOp } from './defineOp';
import { expectSequence } from './shapeRules';

/** First position: the vector at position 0, [T, D] -> [D]: how a ViT or BERT reads its class token. */
export const firstToken = defineOp({
  schema: z.object({}).strict(),
  shape: ([input]) => ({ shape: [expectSequence(input!, 'taking the first position')[1]], params: 0, flops: 0 }),
  catalog: {
    label: 'Class token',
    group: 'Dense & regularisation',
    summary: 'The vector at the first position (a class token): [T, D] -> [D].',
    params: {},
  },
});
