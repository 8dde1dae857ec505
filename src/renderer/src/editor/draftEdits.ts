import type { InputSpec, NodeSpec } from '../../../shared/architecture/modelSpec';
import { OP_CATALOG, type BlockKind, type InputKind } from '../../../shared/architecture/opCatalog';
import { arityOf, type OpName } from '../../../shared/architecture/ops';
import { blockIds, cloneJson, type ArchitectureDraft } from './architectureDraft';

/**
 * Every change the editor makes to a draft, as pure functions from one draft to the next: the store keeps the old
 * one for undo, and tests check each edit without a canvas.
 */

export interface Position {
  x: number;
  y: number;
}

const ids = blockIds;

/** `base` if free, else its stem numbered from 2 (encoder1 taken -> encoder2): ids stay readable in the JSON and in messages. */
export function uniqueId(draft: ArchitectureDraft, base: string, taken = ids(draft)): string {
  const clean = base.replace(/[^A-Za-z0-9_-]/g, '').replace(/^[^A-Za-z_]+/, '') || 'block';
  if (!taken.has(clean)) return clean;
  const stem = clean.replace(/\d+$/, '') || 'block';
  for (let n = 2; ; n++) if (!taken.has(`${stem}${n}`)) return `${stem}${n}`;
}

export function isInputId(draft: ArchitectureDraft, id: string): boolean {
  return draft.inputs.some((input) => input.id === id);
}

function newInput(
  kind: InputKind,
  id: string,
  imageShape?: { height: number; width: number; channels: number },
): InputSpec {
  return kind === 'image'
    ? {
        id,
        kind,
        height: imageShape?.height ?? 32,
        width: imageShape?.width ?? 32,
        channels: imageShape?.channels ?? 3,
      }
    : { id, kind, maxLength: 64, vocabSize: 8000 };
}

/** How many more inputs the node can take. */
export function freeSlots(node: NodeSpec): number {
  return arityOf(node.op as OpName).max - node.inputs.length;
}

/**
 * Places a block. With `after`, the new block reads that one (when it reads anything at all): the palette's
 * keyboard path builds a chain by adding block after block.
 */
export function addBlock(
  draft: ArchitectureDraft,
  kind: BlockKind,
  position: Position,
  after: string | null,
  imageShape?: { height: number; width: number; channels: number },
): { draft: ArchitectureDraft; id: string } {
  if ('input' in kind) {
    const id = uniqueId(draft, kind.input === 'tokens' && draft.inputs.length > 0 ? 'target' : kind.input);
    return {
      draft: {
        ...draft,
        inputs: [...draft.inputs, newInput(kind.input, id, imageShape)],
        layout: { ...draft.layout, [id]: position },
      },
      id,
    };
  }
  const id = uniqueId(draft, kind.op);
  const readsAfter = after !== null && ids(draft).has(after);
  const node: NodeSpec = {
    id,
    op: kind.op,
    params: { ...(OP_CATALOG[kind.op].starting ?? {}) },
    inputs: readsAfter ? [after] : [],
  };
  return { draft: { ...draft, nodes: [...draft.nodes, node], layout: { ...draft.layout, [id]: position } }, id };
}

/** Why a connection is refused, or null when it is made. */
export function connectionProblem(draft: ArchitectureDraft, source: string, target: string): string | null {
  if (source === target) return 'a block cannot read its own output';
  const node = draft.nodes.find((n) => n.id === target);
  if (!node) return isInputId(draft, target) ? 'an input block reads nothing' : `there is no block "${target}"`;
  if (!ids(draft).has(source)) return `there is no block "${source}"`;
  if (freeSlots(node) <= 0 && node.inputs.length > 0) {
    const { max } = arityOf(node.op as OpName);
    return `${OP_CATALOG[node.op as OpName]?.label ?? node.op} reads at most ${max} input${max > 1 ? 's' : ''}`;
  }
  return null;
}

/**
 * Makes `target` read `source`. A node with named slots (a decoder's target and memory) takes it in that slot,
 * replacing what was there; others append it. A one-input node that is full has its input replaced, as dropping a
 * new wire on a connected port does in most node editors.
 */
export function connect(draft: ArchitectureDraft, source: string, target: string, slot?: number): ArchitectureDraft {
  const node = draft.nodes.find((n) => n.id === target);
  if (!node || source === target || !ids(draft).has(source)) return draft;
  const { max } = arityOf(node.op as OpName);
  let inputs: string[];
  if (slot !== undefined && slot < max && OP_CATALOG[node.op as OpName]?.slots) {
    inputs = [...node.inputs];
    if (slot >= inputs.length) inputs.push(source);
    else inputs[slot] = source;
  } else if (node.inputs.length < max) {
    inputs = [...node.inputs, source];
  } else if (max === 1) {
    inputs = [source];
  } else {
    return draft;
  }
  return replaceNode(draft, { ...node, inputs });
}

/** Removes the wire into `target`'s input number `index`. */
export function disconnect(draft: ArchitectureDraft, target: string, index: number): ArchitectureDraft {
  const node = draft.nodes.find((n) => n.id === target);
  if (!node || index >= node.inputs.length) return draft;
  return replaceNode(draft, { ...node, inputs: node.inputs.filter((_, i) => i !== index) });
}

function replaceNode(draft: ArchitectureDraft, node: NodeSpec): ArchitectureDraft {
  return { ...draft, nodes: draft.nodes.map((n) => (n.id === node.id ? node : n)) };
}

/** Deletes blocks and every wire from them. */
export function removeBlocks(draft: ArchitectureDraft, remove: Iterable<string>): ArchitectureDraft {
  const gone = new Set(remove);
  const layout = { ...draft.layout };
  for (const id of gone) delete layout[id];
  return {
    ...draft,
    inputs: draft.inputs.filter((input) => !gone.has(input.id)),
    nodes: draft.nodes
      .filter((node) => !gone.has(node.id))
      .map((node) =>
        node.inputs.some((i) => gone.has(i)) ? { ...node, inputs: node.inputs.filter((i) => !gone.has(i)) } : node,
      ),
    layout,
  };
}

/** Sets one parameter of a node or an input; undefined removes it (the op's default, or the run's setting, applies). */
export function setParam(draft: ArchitectureDraft, id: string, name: string, value: unknown): ArchitectureDraft {
  const input = draft.inputs.find((i) => i.id === id);
  if (input) {
    if (name === 'id' || name === 'kind' || value === undefined) return draft;
    return { ...draft, inputs: draft.inputs.map((i) => (i.id === id ? ({ ...i, [name]: value } as InputSpec) : i)) };
  }
  const node = draft.nodes.find((n) => n.id === id);
  if (!node) return draft;
  const params = { ...node.params };
  if (value === undefined) delete params[name];
  else params[name] = value;
  return replaceNode(draft, { ...node, params });
}

export function moveBlocks(draft: ArchitectureDraft, positions: Record<string, Position>): ArchitectureDraft {
  return { ...draft, layout: { ...draft.layout, ...positions } };
}

/** What a copy keeps: the blocks, and the wires among them. */
export interface BlockClipboard {
  inputs: InputSpec[];
  nodes: NodeSpec[];
  layout: Record<string, Position>;
}

export function copyBlocks(draft: ArchitectureDraft, selected: Iterable<string>): BlockClipboard {
  const chosen = new Set(selected);
  const inputs = draft.inputs.filter((i) => chosen.has(i.id));
  const nodes = draft.nodes
    .filter((n) => chosen.has(n.id))
    .map((n) => ({ ...n, inputs: n.inputs.filter((i) => chosen.has(i)) }));
  const layout = Object.fromEntries([...chosen].filter((id) => draft.layout[id]).map((id) => [id, draft.layout[id]!]));
  return cloneJson({ inputs, nodes, layout });
}

/** Pastes copies under fresh ids, shifted by `offset`, wired among themselves as the originals were. */
export function pasteBlocks(
  draft: ArchitectureDraft,
  clipboard: BlockClipboard,
  offset: Position,
): { draft: ArchitectureDraft; ids: string[] } {
  const taken = ids(draft);
  const renamed = new Map<string, string>();
  for (const block of [...clipboard.inputs, ...clipboard.nodes]) {
    const id = uniqueId(draft, block.id, taken);
    taken.add(id);
    renamed.set(block.id, id);
  }
  const layout = { ...draft.layout };
  for (const [old, id] of renamed) {
    const at = clipboard.layout[old] ?? { x: 0, y: 0 };
    layout[id] = { x: at.x + offset.x, y: at.y + offset.y };
  }
  return {
    draft: {
      ...draft,
      inputs: [...draft.inputs, ...clipboard.inputs.map((i) => ({ ...i, id: renamed.get(i.id)! }))],
      nodes: [
        ...draft.nodes,
        ...clipboard.nodes.map((n) => ({
          ...n,
          params: cloneJson(n.params),
          id: renamed.get(n.id)!,
          inputs: n.inputs.map((i) => renamed.get(i)!),
        })),
      ],
      layout,
    },
    ids: [...renamed.values()],
  };
}
