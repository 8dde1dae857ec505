import { OP_DEFINITIONS } from './ops/index';
import type { OpName } from './ops';
import type { InnerStep } from './ops/innerSteps';
import type { Shape } from './ops/shapeRules';

export type { InnerStep } from './ops/innerSteps';

type Inner = (inputs: Shape[], params: never) => InnerStep[];

/**
 * The inside of each composite block, read-only: Transformer blocks, multi-head attention, SE and CBAM, from the
 * op modules that have one. Each step's weights add up to the block's count in OP_SHAPES (a test checks), so the
 * expanded view explains the number on the node. Inputs are shapes already checked by inference.
 */
export const COMPOSITE_STRUCTURE = Object.fromEntries(
  Object.entries(OP_DEFINITIONS).flatMap(([name, definition]) =>
    'inside' in definition && definition.inside ? [[name, definition.inside]] : [],
  ),
) as Partial<Record<OpName, Inner>>;
