import type { OpName } from '../../../shared/spec/ops';
import { BASIC_OPS } from './basicOps';
import { IMAGE_OPS } from './imageOps';
import type { PythonOp } from './pythonOp';
import { SEQUENCE_OPS } from './sequenceOps';
import { TRANSFORMER_OPS } from './transformerOps';

/** The ops model.py can express so far; the exporter refuses a spec with any other, naming it. */
export const PYTHON_OPS: Partial<Record<OpName, PythonOp>> = {
  ...BASIC_OPS,
  ...SEQUENCE_OPS,
  ...TRANSFORMER_OPS,
  ...IMAGE_OPS,
};
