import { z } from 'zod';
import { defineOp } from './defineOp';
import { expectSequence } from './shapeRules';

/** One softmax over the classes (tags, or target tokens) at every position: sequence labelling and seq2seq. */
export const tokenClassifier = defineOp({
  schema: z.object({}).strict(),
  shape: ([input], _params, { classes }) => {
    const [length, dim] = expectSequence(input!, 'a per-token classifier');
    return { shape: [length, classes], params: dim * classes + classes, flops: 2 * length * dim * classes };
  },
  catalog: {
    label: 'Per-token classifier',
    group: 'Output',
    summary: 'A softmax over the tags or target tokens at every position.',
    params: {},
  },
});
