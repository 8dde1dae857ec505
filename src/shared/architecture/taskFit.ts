import type { SpecIssue } from './graphOrder';
import type { ModelSpec } from './modelSpec';
import { formatShape, type NodeShape } from './opShapes';

/**
 * Whether a graph that is sound in itself fits its task: the inputs the task's data provides, and one output of the
 * shape its loss compares with the labels.
 *   image-classification: one image input            -> [classes]
 *   text-classification:  one token input            -> [classes]
 *   sequence-labelling:   one token input [T]        -> [T, tags]
 *   seq2seq:              source and target tokens   -> [target T, target vocabulary]
 */
export function checkTaskFit(spec: ModelSpec, nodes: Record<string, NodeShape>, classes: number): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const kinds = spec.inputs.map((input) => input.kind).join(',');
  const wantedInputs: Record<ModelSpec['task'], [string, string]> = {
    'image-classification': ['image', 'one image input'],
    'text-classification': ['tokens', 'one token input'],
    'sequence-labelling': ['tokens', 'one token input'],
    seq2seq: ['tokens,tokens', 'two token inputs: the source, then the target'],
  };
  const [wanted, words] = wantedInputs[spec.task];
  if (kinds !== wanted) issues.push({ nodeId: null, param: 'inputs', message: `${spec.task} models take ${words}` });
  if (spec.outputs.length !== 1) {
    issues.push({
      nodeId: null,
      param: 'outputs',
      message: `${spec.task} models have one output; this one has ${spec.outputs.length}`,
    });
    return issues;
  }
  const outputId = spec.outputs[0]!;
  // A node whose output nobody reads would be left out of the built model, untrained and uncounted.
  const reaching = new Set<string>();
  const byId = new Map(spec.nodes.map((n) => [n.id, n]));
  const stack = [...spec.outputs];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (reaching.has(id)) continue;
    reaching.add(id);
    stack.push(...(byId.get(id)?.inputs ?? []));
  }
  for (const node of spec.nodes) {
    if (!reaching.has(node.id))
      issues.push({ nodeId: node.id, message: `does not lead to the output "${outputId}": connect it or delete it` });
  }
  const shape = nodes[outputId]?.shape;
  if (!shape) return issues;
  const perToken = spec.task === 'sequence-labelling' || spec.task === 'seq2seq';
  const last = spec.inputs[spec.inputs.length - 1];
  const length = last?.kind === 'tokens' ? last.maxLength : 0;
  const expected = perToken ? [length, classes] : [classes];
  if (formatShape(shape) !== formatShape(expected)) {
    const hint = perToken ? 'end with a per-token classifier on the sequence' : 'end with a classifier on one vector';
    issues.push({
      nodeId: outputId,
      param: 'outputs',
      message: `${spec.task} models output ${formatShape(expected)}; this one gives ${formatShape(shape)}: ${hint}`,
    });
  }
  return issues;
}
