import { analyzeSpec, type SpecAnalysis, type SpecContext } from '../../../shared/architecture/analyzeSpec';
import type { SpecIssue } from '../../../shared/architecture/graphOrder';
import type { InputSpec, ModelSpec, NodeSpec, SpecLayout, Task } from '../../../shared/architecture/modelSpec';

/**
 * The graph as the editor holds it while it is drawn: a ModelSpec that may still be empty or half-connected (a
 * node's inputs can be fewer than it reads), with the position of every block. Outputs are not stored: they are the
 * output blocks nobody reads, so they cannot go stale when a block is deleted.
 */
export interface ArchitectureDraft {
  name: string;
  task: Task;
  inputs: InputSpec[];
  nodes: NodeSpec[];
  layout: SpecLayout;
}

const OUTPUT_OPS = new Set(['classifier', 'tokenClassifier']);

export const isOutputOp = (op: string): boolean => OUTPUT_OPS.has(op);

/** A deep copy of plain JSON data; drafts never share objects with the documents (or reactive state) they came from. */
export const cloneJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export function draftFromSpec(spec: ModelSpec): ArchitectureDraft {
  const copy = cloneJson(spec);
  return { name: copy.name, task: copy.task, inputs: copy.inputs, nodes: copy.nodes, layout: copy.layout ?? {} };
}

/** The ids of every input and node. */
export const blockIds = (draft: ArchitectureDraft): Set<string> =>
  new Set([...draft.inputs.map((i) => i.id), ...draft.nodes.map((n) => n.id)]);

/** The output blocks that no other block reads; a graph without one has no output yet. */
export function draftOutputs(draft: ArchitectureDraft): string[] {
  const read = new Set(draft.nodes.flatMap((node) => node.inputs));
  return draft.nodes.filter((node) => isOutputOp(node.op) && !read.has(node.id)).map((node) => node.id);
}

/** The document a save writes, the worker builds and run.json keeps. */
export function draftToSpec(draft: ArchitectureDraft): ModelSpec {
  const ids = blockIds(draft);
  const layout = Object.fromEntries(Object.entries(draft.layout).filter(([id]) => ids.has(id)));
  return {
    name: draft.name,
    task: draft.task,
    inputs: draft.inputs,
    nodes: draft.nodes,
    outputs: draftOutputs(draft),
    layout,
  };
}

export interface DraftValidation {
  spec: ModelSpec;
  analysis: SpecAnalysis;
  /** Shape inference's issues, and those of a graph still being drawn (no input, no output). */
  issues: SpecIssue[];
  /** The same issues by the block they name. */
  issuesByBlock: Map<string, SpecIssue[]>;
}

/** Everything the editor shows about a draft: run after every edit, so it stays a pure function of the draft. */
export function validateDraft(
  draft: ArchitectureDraft,
  context: Partial<SpecContext> & { datasetTask?: Task | undefined } = {},
): DraftValidation {
  const spec = draftToSpec(draft);
  const analysis = analyzeSpec(spec, context);
  const issues: SpecIssue[] = [];
  if (draft.inputs.length === 0)
    issues.push({ nodeId: null, message: 'no input yet: add an Image or Token input from the Inputs group' });
  if (spec.outputs.length === 0)
    issues.push({
      nodeId: null,
      message: 'no output yet: end with a Classifier or Per-token classifier from the Output group',
    });
  if (context.datasetTask && context.datasetTask !== draft.task) {
    issues.push({
      nodeId: null,
      param: 'task',
      message: `the graph is for ${draft.task}, but the chosen dataset is ${context.datasetTask}`,
    });
  }
  // The task-fit check would only repeat a missing input or output in other words.
  const repeats = (issue: SpecIssue) =>
    issue.nodeId === null &&
    ((issue.param === 'outputs' && spec.outputs.length === 0) ||
      (issue.param === 'inputs' && draft.inputs.length === 0));
  issues.push(...analysis.issues.filter((issue) => !repeats(issue)));
  const issuesByBlock = new Map<string, SpecIssue[]>();
  for (const issue of issues)
    if (issue.nodeId) issuesByBlock.set(issue.nodeId, [...(issuesByBlock.get(issue.nodeId) ?? []), issue]);
  return { spec, analysis, issues, issuesByBlock };
}
