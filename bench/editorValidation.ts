import { draftToSpec, validateDraft, type ArchitectureDraft } from '../src/renderer/src/editor/architectureDraft';
import { autoLayout } from '../src/renderer/src/editor/autoLayout';
import { blockViews } from '../src/renderer/src/editor/blockView';
import { setParam } from '../src/renderer/src/editor/draftEdits';
import type { NodeSpec } from '../src/shared/architecture/modelSpec';
import { estimateTrainingMemory } from '../src/shared/architecture/trainingMemory';

/** A deep residual Transformer of `blocks` x (encoder, dense, dropout, residual add) plus stem and head: 4 x blocks + 5 nodes. */
function deepGraph(blocks: number): ArchitectureDraft {
  const nodes: NodeSpec[] = [
    { id: 'embed', op: 'embedding', params: { dim: 64 }, inputs: ['tokens'] },
    { id: 'position', op: 'positionalEncoding', params: {}, inputs: ['embed'] },
  ];
  let last = 'position';
  for (let i = 1; i <= blocks; i++) {
    nodes.push(
      { id: `encoder${i}`, op: 'transformerEncoder', params: { heads: 4, ffnDim: 128 }, inputs: [last] },
      { id: `dense${i}`, op: 'dense', params: { units: 64 }, inputs: [`encoder${i}`] },
      { id: `dropout${i}`, op: 'dropout', params: {}, inputs: [`dense${i}`] },
      { id: `add${i}`, op: 'add', params: {}, inputs: [last, `dropout${i}`] },
    );
    last = `add${i}`;
  }
  nodes.push(
    { id: 'pool', op: 'globalAveragePool1d', params: {}, inputs: [last] },
    { id: 'dropout', op: 'dropout', params: {}, inputs: ['pool'] },
    { id: 'head', op: 'classifier', params: {}, inputs: ['dropout'] },
  );
  const draft: ArchitectureDraft = {
    name: 'deep',
    task: 'text-classification',
    inputs: [{ id: 'tokens', kind: 'tokens', maxLength: 64, vocabSize: 8000 }],
    nodes,
    layout: {},
  };
  return { ...draft, layout: autoLayout(draft) };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

/**
 * What the editor recomputes after each edit of a 200-block graph: the edit itself, validation (shape inference,
 * graph checks, task fit), the canvas's block views with one composite expanded, and the memory estimate. Edits
 * break a head count at a scattered place and then fix it, so half of them leave the graph with an error.
 */
export function editorValidation(): void {
  let draft = deepGraph(49);
  const blocks = draft.inputs.length + draft.nodes.length;
  const times: number[] = [];
  let invalid = 0;
  for (let edit = 0; edit < 200; edit++) {
    const target = `encoder${1 + ((Math.floor(edit / 2) * 17) % 49)}`;
    const started = performance.now();
    draft = setParam(draft, target, 'heads', edit % 2 === 0 ? 5 : 4);
    const validation = validateDraft(draft, { classes: 2 });
    blockViews(draft, validation, new Set(['encoder1']));
    estimateTrainingMemory(validation.spec, validation.analysis, 32, 'adam');
    times.push(performance.now() - started);
    if (validation.issues.length > 0) invalid++;
  }
  const sorted = times.slice(20).sort((a, b) => a - b); // the first edits warm the JIT up
  const layoutStarted = performance.now();
  autoLayout(draft);
  const layoutMs = performance.now() - layoutStarted;
  const saved = JSON.stringify(draftToSpec(draft)).length;
  console.log(
    `editor, ${blocks}-block graph: re-validation after an edit median ${percentile(sorted, 0.5).toFixed(2)} ms, ` +
      `p95 ${percentile(sorted, 0.95).toFixed(2)} ms, max ${sorted.at(-1)!.toFixed(2)} ms (${invalid}/200 edits left it invalid); ` +
      `auto-layout ${layoutMs.toFixed(0)} ms; saved spec ${(saved / 1024).toFixed(0)} KiB`,
  );
}
