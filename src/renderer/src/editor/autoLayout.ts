import dagre from '@dagrejs/dagre';
import type { SpecLayout } from '../../../shared/architecture/modelSpec';
import type { ArchitectureDraft } from './architectureDraft';

/** The size the layout reserves for a block; the canvas draws them about this big. */
export const BLOCK_SIZE = { width: 220, height: 84 };
/** The vertical gap between a block and the blocks that read it. */
export const BLOCK_GAP = 46;

/** Layers from top to bottom in data-flow order (dagre's layered layout), as Netron and Deep Network Designer draw. */
export function autoLayout(draft: ArchitectureDraft): SpecLayout {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: 'TB', nodesep: 40, ranksep: BLOCK_GAP, marginx: 20, marginy: 20 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const block of [...draft.inputs, ...draft.nodes]) graph.setNode(block.id, { ...BLOCK_SIZE });
  for (const node of draft.nodes)
    for (const source of node.inputs) if (graph.hasNode(source)) graph.setEdge(source, node.id);
  dagre.layout(graph);
  const layout: SpecLayout = {};
  for (const id of graph.nodes()) {
    const { x, y } = graph.node(id);
    // dagre gives centres; the canvas places blocks by their top-left corner.
    layout[id] = { x: Math.round(x - BLOCK_SIZE.width / 2), y: Math.round(y - BLOCK_SIZE.height / 2) };
  }
  return layout;
}
