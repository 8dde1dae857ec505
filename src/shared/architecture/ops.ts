import type { z } from 'zod';
import { OP_DEFINITIONS } from './ops/index';

type Definitions = typeof OP_DEFINITIONS;

/**
 * The parameters each op accepts, with the defaults a new node starts with, read off the op modules (ops/). A
 * dropout rate left out falls back to the run's dropout hyper-parameter, so one slider sets a whole preset's.
 */
export const opParamSchemas = Object.fromEntries(
  Object.entries(OP_DEFINITIONS).map(([name, definition]) => [name, definition.schema]),
) as { [O in keyof Definitions]: Definitions[O]['schema'] };

export type OpName = keyof typeof opParamSchemas;
export type OpParams<O extends OpName> = z.infer<(typeof opParamSchemas)[O]>;

/** How many inputs an op reads; most read one. */
export function arityOf(op: OpName): { min: number; max: number } {
  const definition: { arity?: { min: number; max: number } } = OP_DEFINITIONS[op];
  return definition.arity ?? { min: 1, max: 1 };
}

export function isOpName(op: string): op is OpName {
  return Object.hasOwn(opParamSchemas, op);
}
