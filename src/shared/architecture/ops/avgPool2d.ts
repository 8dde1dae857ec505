import { defineOp } from './defineOp';
import { pooling } from './paramSchemas';
import { pool2d } from './shapeRules';
import { poolingParams } from './paramHelp';

/** Average pool 2D: Averages each window. */
export const avgPool2d = defineOp({
  schema: pooling,
  shape: ([input], params) => pool2d(input!, params, 'average pooling'),
  catalog: {
    label: 'Average pool 2D',
    group: 'Convolution',
    summary: 'Averages each window.',
    params: poolingParams,
  },
});
