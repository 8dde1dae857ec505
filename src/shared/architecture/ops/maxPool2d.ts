import { defineOp } from './defineOp';
import { pooling } from './paramSchemas';
import { pool2d } from './shapeRules';
import { poolingParams } from './paramHelp';

/** Max pool 2D: Keeps the largest value of each window. */
export const maxPool2d = defineOp({
  schema: pooling,
  shape: ([input], params) => pool2d(input!, params, 'max pooling'),
  catalog: {
    label: 'Max pool 2D',
    group: 'Convolution',
    summary: 'Keeps the largest value of each window.',
    params: poolingParams,
  },
});
