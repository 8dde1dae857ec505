import { orderGraph, type SpecIssue } from './graphOrder';
import type { ModelSpec, NodeSpec } from './modelSpec';
import { OP_SHAPES, ShapeProblem, type NodeShape, type ShapeContext } from './opShapes';
import { isOpName, opParamSchemas } from './ops';

export interface SpecAnalysis {
  /** The nodes that are free of graph problems, each after the nodes it reads. */
  order: NodeSpec[];
  /** Output shape, weights and cost of every node that could be inferred, and of every input. */
  nodes: Record<string, NodeShape>;
  issues: SpecIssue[];
  totalParams: number;
  totalFlops: number;
}

/**
 * Checks a spec and infers every node's output shape, weights and cost, without TensorFlow: the editor runs it on
 * every edit, main on every request, the engine before it builds. Reports every problem it can find, each naming the
 * node and parameter at fault; below a broken node, parameters are still checked but shapes are not inferred.
 */
export function analyzeSpec(spec: ModelSpec, context: Partial<ShapeContext> = {}): SpecAnalysis {
  const { order, issues } = orderGraph(spec);
  const nodes: Record<string, NodeShape> = {};
  const tokenInputs = new Set<string>();
  let vocabSize = context.vocabSize ?? 0;
  for (const input of spec.inputs) {
    if (input.kind === 'tokens') {
      nodes[input.id] = { shape: [input.maxLength], params: 0, flops: 0 };
      tokenInputs.add(input.id);
      vocabSize = context.vocabSize ?? input.vocabSize;
    } else {
      nodes[input.id] = { shape: [input.height, input.width, input.channels], params: 0, flops: 0 };
    }
  }
  const shapeContext: ShapeContext = { vocabSize, classes: context.classes ?? 2 };

  for (const node of order) {
    if (!isOpName(node.op)) {
      issues.push({ nodeId: node.id, param: 'op', message: `unknown op "${node.op}"` });
      continue;
    }
    // Parameters are checked even below a broken node: they do not depend on shapes.
    const parsed = opParamSchemas[node.op].safeParse(node.params ?? {});
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        issues.push({ nodeId: node.id, param: issue.path.map(String).join('.') || undefined, message: issue.message });
      }
      continue;
    }
    const inputShapes = node.inputs.map((id) => nodes[id]);
    if (inputShapes.some((shape) => !shape)) continue; // an input is broken and was reported there
    try {
      const infer = OP_SHAPES[node.op] as (...args: unknown[]) => NodeShape;
      const isTokenInput = node.inputs.length === 1 && tokenInputs.has(node.inputs[0]!);
      nodes[node.id] = infer(inputShapes.map((s) => s!.shape), parsed.data as never, shapeContext, isTokenInput);
    } catch (error) {
      if (!(error instanceof ShapeProblem)) throw error;
      issues.push({ nodeId: node.id, ...(error.param ? { param: error.param } : {}), message: error.message });
    }
  }
  const all = Object.values(nodes);
  return {
    order,
    nodes,
    issues,
    totalParams: all.reduce((sum, n) => sum + n.params, 0),
    totalFlops: all.reduce((sum, n) => sum + n.flops, 0),
  };
}

/** One line per issue: `node "encoder1", parameter "heads": 5 heads do not divide the model width 64`. */
export function describeIssue(issue: SpecIssue): string {
  const where = [issue.nodeId ? `node "${issue.nodeId}"` : 'the graph', issue.param ? `parameter "${issue.param}"` : null]
    .filter(Boolean)
    .join(', ');
  return `${where}: ${issue.message}`;
}
