import { z } from 'zod';
import { defineOp } from './defineOp';
import { ShapeProblem, formatShape } from './shapeRules';

/** One unit per class of the dataset, softmax: image and text classification. */
export const classifier = defineOp({
  schema: z.object({}).strict(),
  shape: ([input], _params, { classes }) => {
    if (input!.length !== 1) {
      const fix = input!.length === 2 ? 'pool the sequence first' : 'pool or flatten the image first';
      throw new ShapeProblem(
        `the classifier needs one vector per example [D]; it gets ${formatShape(input!)}: ${fix}`,
        'inputs',
      );
    }
    return { shape: [classes], params: input![0]! * classes + classes, flops: 2 * input![0]! * classes };
  },
  catalog: {
    label: 'Classifier',
    group: 'Output',
    summary: "A softmax over the dataset's classes from one vector.",
    params: {},
  },
});
