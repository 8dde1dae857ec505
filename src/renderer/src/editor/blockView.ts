import { COMPOSITE_STRUCTURE, type InnerStep } from '../../../shared/architecture/compositeStructure';
import type { NodeShape } from '../../../shared/architecture/opShapes';
import { INPUT_CATALOG, OP_CATALOG } from '../../../shared/architecture/opCatalog';
import { arityOf, isOpName, opParamSchemas, type OpName } from '../../../shared/architecture/ops';
import { isOutputOp, type ArchitectureDraft, type DraftValidation } from './architectureDraft';

/** Where a block takes wires: none (an input), named slots (a decoder's target and memory), or any number (add). */
export type InputPorts = { kind: 'none' } | { kind: 'slots'; names: string[] } | { kind: 'many' };

/** What the canvas draws for one block. */
export interface BlockView {
  id: string;
  label: string;
  /** What the block is, for its name in the shown language: the input's kind (image, tokens) or the op's name. */
  kind: string;
  op: OpName | 'input';
  inferred: NodeShape | null;
  problems: string[];
  ports: InputPorts;
  /** Output blocks end the graph and have no outgoing port. */
  isOutput: boolean;
  composite: boolean;
  /** The steps inside an expanded composite block whose shape is known. */
  inner: InnerStep[] | null;
}

export function inputPorts(op: OpName): InputPorts {
  const slots = OP_CATALOG[op].slots;
  if (slots) return { kind: 'slots', names: slots };
  const { max } = arityOf(op);
  return max > 1 ? { kind: 'many' } : { kind: 'slots', names: ['input'] };
}

/** The canvas's view of every block, derived from the draft and its validation. */
export function blockViews(
  draft: ArchitectureDraft,
  validation: DraftValidation,
  expanded: ReadonlySet<string>,
): BlockView[] {
  const describe = (id: string) =>
    (validation.issuesByBlock.get(id) ?? []).map((issue) =>
      issue.param ? `${issue.param}: ${issue.message}` : issue.message,
    );
  const views: BlockView[] = draft.inputs.map((input) => ({
    id: input.id,
    label: INPUT_CATALOG[input.kind].label,
    kind: input.kind,
    op: 'input',
    inferred: validation.analysis.nodes[input.id] ?? null,
    problems: describe(input.id),
    ports: { kind: 'none' },
    isOutput: false,
    composite: false,
    inner: null,
  }));
  for (const node of draft.nodes) {
    const known = isOpName(node.op);
    const inferred = validation.analysis.nodes[node.id] ?? null;
    let inner: InnerStep[] | null = null;
    const structure = known ? COMPOSITE_STRUCTURE[node.op as OpName] : undefined;
    if (structure && inferred && expanded.has(node.id)) {
      const params = opParamSchemas[node.op as OpName].parse(node.params);
      inner = structure(
        node.inputs.map((id) => validation.analysis.nodes[id]!.shape),
        params as never,
      );
    }
    views.push({
      id: node.id,
      label: known ? OP_CATALOG[node.op as OpName].label : node.op,
      kind: node.op,
      op: known ? (node.op as OpName) : 'input',
      inferred,
      problems: describe(node.id),
      ports: known ? inputPorts(node.op as OpName) : { kind: 'many' },
      isOutput: isOutputOp(node.op),
      composite: structure !== undefined,
      inner,
    });
  }
  return views;
}
