import type { OpName } from '../../../shared/architecture/ops';
import { BASIC_OPS } from './basicOps';
import { IMAGE_OPS } from './imageOps';
import type { PythonOp } from './pythonOp';
import { RECURRENT_OPS } from './recurrentOps';
import { SEQUENCE_OPS } from './sequenceOps';
import { TRANSFORMER_OPS } from './transformerOps';

/** Every op of the catalog in PyTorch: the compiler fails when an op is added without its Python. */
export const PYTHON_OPS: Record<OpName, PythonOp> = {
  ...BASIC_OPS,
  ...SEQUENCE_OPS,
  ...TRANSFORMER_OPS,
  ...IMAGE_OPS,
  ...RECURRENT_OPS,
};
