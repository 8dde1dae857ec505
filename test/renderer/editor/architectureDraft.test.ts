import { describe, expect, it } from 'vitest';
import {
  draftFromSpec,
  draftToSpec,
  validateDraft,
  type ArchitectureDraft,
} from '../../../src/renderer/src/editor/architectureDraft';
import { autoLayout, BLOCK_SIZE } from '../../../src/renderer/src/editor/autoLayout';
import {
  addBlock,
  connect,
  connectionProblem,
  copyBlocks,
  disconnect,
  pasteBlocks,
  removeBlocks,
  setParam,
} from '../../../src/renderer/src/editor/draftEdits';
import { analyzeSpec, describeIssue } from '../../../src/shared/architecture/analyzeSpec';
import { modelSpecSchema } from '../../../src/shared/architecture/modelSpec';
import { PRESETS } from '../../../src/shared/architecture/presets';
import { drawFromEmpty } from './buildFromEmpty';

const context = { classes: 3, vocabSize: 500 };
const empty = (): ArchitectureDraft => ({
  name: 'test',
  task: 'text-classification',
  inputs: [],
  nodes: [],
  layout: {},
});
const messages = (draft: ArchitectureDraft) => validateDraft(draft, context).issues.map(describeIssue);

describe('the architecture draft', () => {
  it('opens every preset valid, and saves it back as the same graph', () => {
    for (const preset of PRESETS) {
      const draft = draftFromSpec(preset.spec);
      expect(messages(draft), preset.id).toEqual([]);
      const saved = draftToSpec(draft);
      expect(modelSpecSchema.parse(saved)).toEqual({ ...preset.spec, layout: {} });
    }
  });

  it('builds every seed architecture from an empty graph with the edits the editor makes, to the same weights and cost', () => {
    for (const preset of PRESETS) {
      const { draft: drawn, idOf } = drawFromEmpty(preset.spec);
      expect(messages(drawn), preset.id).toEqual([]);
      const spec = draftToSpec(drawn);
      const drawnId = (id: string) => idOf.get(id)!;
      expect(spec.outputs).toEqual(preset.spec.outputs.map(drawnId));
      const [mine, theirs] = [analyzeSpec(spec, context), analyzeSpec(preset.spec, context)];
      expect([mine.totalParams, mine.totalFlops], preset.id).toEqual([theirs.totalParams, theirs.totalFlops]);
      expect(
        spec.nodes.map((n) => [n.op, n.params, n.inputs]),
        preset.id,
      ).toEqual(preset.spec.nodes.map((n) => [n.op, n.params, n.inputs.map(drawnId)]));
    }
  });

  it('says what an empty or half-drawn graph still lacks', () => {
    expect(messages(empty())).toEqual([
      'the graph: no input yet: add an Image or Token input from the Inputs group',
      'the graph: no output yet: end with a Classifier or Per-token classifier from the Output group',
    ]);
    let { draft } = addBlock(empty(), { input: 'tokens' }, { x: 0, y: 0 }, null);
    ({ draft } = addBlock(draft, { op: 'embedding' }, { x: 0, y: 100 }, 'tokens'));
    ({ draft } = addBlock(draft, { op: 'classifier' }, { x: 0, y: 200 }, null));
    expect(messages(draft)).toEqual(['node "classifier", parameter "inputs": classifier reads 1 input; it has 0']);
    draft = connect(draft, 'embedding', 'classifier');
    expect(messages(draft)).toEqual([
      'node "classifier", parameter "inputs": the classifier needs one vector per example [D]; it gets [64, 64]: pool the sequence first',
    ]);
    expect(validateDraft(draft, { ...context, datasetTask: 'seq2seq' }).issues.map(describeIssue)).toContain(
      'the graph, parameter "task": the graph is for text-classification, but the chosen dataset is seq2seq',
    );
  });

  it('wires named slots, replaces a full single input, refuses loops, and unwires', () => {
    let draft = draftFromSpec(PRESETS.find((p) => p.id === 'transformer-seq2seq')!.spec);
    // The decoder's memory slot moved from the encoder's output to the first encoder block.
    draft = connect(draft, 'encoder1', 'decoder1', 1);
    expect(draft.nodes.find((n) => n.id === 'decoder1')!.inputs).toEqual(['targetPosition', 'encoder1']);
    draft = connect(draft, 'sourceEmbed', 'encoder2');
    expect(draft.nodes.find((n) => n.id === 'encoder2')!.inputs).toEqual(['sourceEmbed']);
    expect(connectionProblem(draft, 'encoder2', 'encoder2')).toBe('a block cannot read its own output');
    expect(connectionProblem(draft, 'encoder2', 'source')).toBe('an input block reads nothing');
    expect(connectionProblem(draft, 'encoder1', 'decoder1')).toBe('Transformer decoder block reads at most 2 inputs');
    draft = disconnect(draft, 'decoder1', 1);
    expect(messages(draft)).toContain(
      'node "decoder1", parameter "inputs": transformerDecoder reads 2 inputs; it has 1',
    );
    // A residual connection is one more wire into an add block.
    let { draft: residual } = addBlock(
      draftFromSpec(PRESETS.find((p) => p.id === 'transformer-text')!.spec),
      { op: 'add' },
      { x: 0, y: 0 },
      'encoder1',
    );
    residual = connect(residual, 'position', 'add');
    expect(residual.nodes.find((n) => n.id === 'add')!.inputs).toEqual(['encoder1', 'position']);
  });

  it('deletes blocks with their wires, and pastes copies under fresh ids wired among themselves', () => {
    const draft = draftFromSpec(PRESETS.find((p) => p.id === 'transformer-text')!.spec);
    const removed = removeBlocks(draft, ['encoder2']);
    expect(removed.nodes.map((n) => n.id)).not.toContain('encoder2');
    expect(removed.nodes.find((n) => n.id === 'pool')!.inputs).toEqual([]);
    const withLayout = { ...draft, layout: autoLayout(draft) };
    const clipboard = copyBlocks(withLayout, ['encoder1', 'encoder2']);
    const pasted = pasteBlocks(withLayout, clipboard, { x: 40, y: 40 });
    expect(pasted.ids).toEqual(['encoder3', 'encoder4']);
    expect(pasted.draft.nodes.find((n) => n.id === 'encoder3')!.inputs).toEqual([]);
    expect(pasted.draft.nodes.find((n) => n.id === 'encoder4')!.inputs).toEqual(['encoder3']);
    expect(pasted.draft.layout['encoder4']).toEqual({
      x: withLayout.layout['encoder2']!.x + 40,
      y: withLayout.layout['encoder2']!.y + 40,
    });
    // The copy owns its parameters: changing one leaves the original as it was.
    const changed = setParam(pasted.draft, 'encoder3', 'heads', 8);
    expect(changed.nodes.find((n) => n.id === 'encoder1')!.params['heads']).toBe(4);
  });

  it('lays every preset out top to bottom along its wires, without overlapping blocks', () => {
    for (const preset of PRESETS) {
      const draft = draftFromSpec(preset.spec);
      const layout = autoLayout(draft);
      for (const node of draft.nodes)
        for (const source of node.inputs)
          expect(layout[source]!.y, `${source} -> ${node.id}`).toBeLessThan(layout[node.id]!.y);
      const boxes = Object.values(layout);
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const apart =
            Math.abs(boxes[i]!.x - boxes[j]!.x) >= BLOCK_SIZE.width ||
            Math.abs(boxes[i]!.y - boxes[j]!.y) >= BLOCK_SIZE.height;
          expect(apart, preset.id).toBe(true);
        }
      }
    }
  });
});
