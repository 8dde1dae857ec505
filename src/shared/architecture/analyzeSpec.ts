import { orderGraph, type SpecIssue } from './graphOrder';
import type { ModelSpec, NodeSpec } from './modelSpec';
import { OP_SHAPES, ShapeProblem, type NodeShape } from './opShapes';
import { arityOf, isOpName, opParamSchemas } from './ops';
import { checkTaskFit } from './taskFit';

/** Sizes that come from the dataset rather than the spec. */
export interface SpecContext {
  /** Output classes: labels, tags or target tokens. Defaults to 2. */
  classes: number;
  /** Vocabulary size for every token input (the dataset's), instead of the spec's vocabSize. */
  vocabSize: number;
  /** Vocabulary size per token input id; wins over vocabSize. */
  vocabSizes: Record<string, number>;
}

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
export function analyzeSpec(spec: ModelSpec, context: Partial<SpecContext> = {}): SpecAnalysis {
  const { order, issues } = orderGraph(spec);
  const nodes: Record<string, NodeShape> = {};
  const tokenVocab = new Map<string, number>();
  for (const input of spec.inputs) {
    if (input.kind === 'tokens') {
      nodes[input.id] = { shape: [input.maxLength], params: 0, flops: 0 };
      tokenVocab.set(input.id, context.vocabSizes?.[input.id] ?? context.vocabSize ?? input.vocabSize);
    } else {
      nodes[input.id] = { shape: [input.height, input.width, input.channels], params: 0, flops: 0 };
    }
  }
  const classes = context.classes ?? 2;

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
    const arity = arityOf(node.op);
    if (node.inputs.length < arity.min || node.inputs.length > arity.max) {
      const wanted = arity.min === arity.max ? `${arity.min}` : `${arity.min} to ${arity.max}`;
      issues.push({
        nodeId: node.id,
        param: 'inputs',
        message: `${node.op} reads ${wanted} input${arity.max > 1 ? 's' : ''}; it has ${node.inputs.length}`,
      });
      continue;
    }
    // Token ids are integers, not features: anything but an embedding would build and then fail on the first batch.
    const rawTokens = node.op === 'embedding' ? undefined : node.inputs.find((id) => tokenVocab.has(id));
    if (rawTokens !== undefined) {
      issues.push({
        nodeId: node.id,
        param: 'inputs',
        message: `reads the token ids of "${rawTokens}" directly: put an embedding between them`,
      });
      continue;
    }
    const inputShapes = node.inputs.map((id) => nodes[id]);
    if (inputShapes.some((shape) => !shape)) continue; // an input is broken and was reported there
    try {
      const infer = OP_SHAPES[node.op] as (...args: unknown[]) => NodeShape;
      const vocab = node.inputs.length === 1 ? (tokenVocab.get(node.inputs[0]!) ?? null) : null;
      nodes[node.id] = infer(
        inputShapes.map((s) => s!.shape),
        parsed.data as never,
        { classes, tokenVocab: vocab },
      );
    } catch (error) {
      if (!(error instanceof ShapeProblem)) throw error;
      issues.push({ nodeId: node.id, ...(error.param ? { param: error.param } : {}), message: error.message });
    }
  }
  if (issues.length === 0) issues.push(...checkTaskFit(spec, nodes, classes));
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
  const where = [
    issue.nodeId ? `node "${issue.nodeId}"` : 'the graph',
    issue.param ? `parameter "${issue.param}"` : null,
  ]
    .filter(Boolean)
    .join(', ');
  return `${where}: ${issue.message}`;
}
