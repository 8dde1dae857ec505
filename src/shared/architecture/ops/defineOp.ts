import type { z } from 'zod';
import type { OpDescription } from './opDescription';
import type { InnerStep } from './innerSteps';
import type { NodeShape, OpShapeContext, Shape } from './shapeRules';

/**
 * Everything the app knows about one op, in one module (ops/<name>.ts): its parameters, how many inputs it reads,
 * its output shape, weights and cost, how the palette and the inspector present it, its inside when it is a
 * composite block, and the attention maps it keeps for the memory estimate. Adding an op is one such module, a line
 * in ops/index.ts, and its builder in src/engine/models.
 */
export interface OpDefinition<S extends z.ZodType> {
  /** The parameters, with the defaults a new node starts with; validates a spec and gives the editor's controls. */
  schema: S;
  /** How many inputs the op reads. Defaults to exactly one. */
  arity?: { min: number; max: number };
  /** Output shape, weights and FLOPs from the input shapes; throws ShapeProblem naming what does not fit. */
  shape(inputs: Shape[], params: z.output<S>, context: OpShapeContext): NodeShape;
  catalog: OpDescription;
  /** The layers inside a composite block, as the editor shows it expanded; their weights add up to shape's. */
  inside?(inputs: Shape[], params: z.output<S>): InnerStep[];
  /** Attention weights kept per example beyond the inside steps, for the training-memory estimate. */
  attentionMapElements?(inputs: Shape[], params: z.output<S>): number;
}

/** Declares an op; the identity, there to infer the parameter types of `shape` and `inside` from `schema`. */
export function defineOp<S extends z.ZodType>(definition: OpDefinition<S>): OpDefinition<S> {
  return definition;
}
