import type { ModelSpec } from '../../../src/shared/architecture/modelSpec';
import { draftFromSpec, type ArchitectureDraft } from '../../../src/renderer/src/editor/architectureDraft';
import { addBlock, connect, setParam } from '../../../src/renderer/src/editor/draftEdits';
import { isOpName } from '../../../src/shared/architecture/ops';

/**
 * Draws `spec` the way a user would, from an empty graph, with the editor's own edits only: place each block from the
 * palette (which names it), set each parameter in the inspector, and wire each input into its slot.
 */
export function drawFromEmpty(spec: ModelSpec): { draft: ArchitectureDraft; idOf: Map<string, string> } {
  let draft: ArchitectureDraft = { ...draftFromSpec(spec), inputs: [], nodes: [], layout: {} };
  const idOf = new Map<string, string>();
  for (const [index, input] of spec.inputs.entries()) {
    const placed = addBlock(draft, { input: input.kind }, { x: 300 * index, y: 0 }, null);
    draft = placed.draft;
    idOf.set(input.id, placed.id);
    for (const [name, value] of Object.entries(input))
      if (name !== 'id' && name !== 'kind') draft = setParam(draft, placed.id, name, value);
  }
  for (const [index, node] of spec.nodes.entries()) {
    if (!isOpName(node.op)) throw new Error(`unknown op ${node.op}`);
    const placed = addBlock(draft, { op: node.op }, { x: 0, y: 100 * (index + 1) }, null);
    draft = placed.draft;
    idOf.set(node.id, placed.id);
    const created = draft.nodes.find((n) => n.id === placed.id)!;
    for (const name of Object.keys(created.params))
      if (!(name in node.params)) draft = setParam(draft, placed.id, name, undefined);
    for (const [name, value] of Object.entries(node.params)) draft = setParam(draft, placed.id, name, value);
    node.inputs.forEach((source, slot) => (draft = connect(draft, idOf.get(source)!, placed.id, slot)));
  }
  return { draft, idOf };
}
