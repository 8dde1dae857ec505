import { OP_DEFINITIONS } from './ops/index';
import type { OpName, OpParams } from './ops';
import type { NodeShape, OpShapeContext, Shape } from './ops/shapeRules';

export { attentionParams, bottleneckUnits, formatShape, ShapeProblem } from './ops/shapeRules';
export type { NodeShape, OpShapeContext, Shape } from './ops/shapeRules';

type OpShape<O extends OpName> = (inputs: Shape[], params: OpParams<O>, context: OpShapeContext) => NodeShape;

/** Shape, weights and cost of each op, from its input shapes: what the editor shows on a node as it is drawn. */
export const OP_SHAPES = Object.fromEntries(
  Object.entries(OP_DEFINITIONS).map(([name, definition]) => [name, definition.shape]),
) as { [O in OpName]: OpShape<O> };
