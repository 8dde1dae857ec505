import type { ModelSpec, NodeSpec } from './modelSpec';

export interface SpecIssue {
  /** The node at fault, or null for the graph as a whole. */
  nodeId: string | null;
  /** The parameter at fault, when one is. */
  param?: string;
  message: string;
}

/**
 * Orders nodes so that each comes after the nodes it reads. Reports, without stopping at the first, every duplicate
 * id, dangling input and cycle; nodes caught in one are left out of the order.
 */
export function orderGraph(spec: ModelSpec): { order: NodeSpec[]; issues: SpecIssue[] } {
  const issues: SpecIssue[] = [];
  const inputs = new Set(spec.inputs.map((i) => i.id));
  const byId = new Map<string, NodeSpec>();
  for (const node of spec.nodes) {
    if (byId.has(node.id) || inputs.has(node.id))
      issues.push({ nodeId: node.id, message: `the id "${node.id}" is used twice` });
    else byId.set(node.id, node);
  }
  const order: NodeSpec[] = [];
  const state = new Map<string, 'visiting' | 'done' | 'bad'>();
  const visit = (id: string): boolean => {
    if (inputs.has(id) || state.get(id) === 'done') return true;
    if (state.get(id) === 'bad') return false;
    const node = byId.get(id)!;
    if (state.get(id) === 'visiting') {
      issues.push({ nodeId: id, message: `"${id}" is part of a cycle: a node cannot read its own output` });
      state.set(id, 'bad');
      return false;
    }
    state.set(id, 'visiting');
    let ok = true;
    for (const source of node.inputs) {
      if (!inputs.has(source) && !byId.has(source)) {
        issues.push({
          nodeId: id,
          param: 'inputs',
          message: `reads "${source}", which is neither an input nor a node`,
        });
        ok = false;
      } else if (!visit(source)) ok = false;
    }
    if (state.get(id) === 'bad') return false;
    state.set(id, ok ? 'done' : 'bad');
    if (ok) order.push(node);
    return ok;
  };
  for (const node of byId.values()) visit(node.id);
  for (const output of spec.outputs) {
    if (!byId.has(output))
      issues.push({ nodeId: null, param: 'outputs', message: `output "${output}" is not a node of the graph` });
  }
  return { order, issues };
}
