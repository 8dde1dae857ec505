import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { useArchitectureStore } from '../../../src/renderer/src/stores/architectureStore';
import { PRESETS, findPreset } from '../../../src/shared/architecture/presets';
import { hyperParamsSchema } from '../../../src/shared/hyperParams';
import { useRecipeStore } from '../../../src/renderer/src/stores/recipeStore';

describe('useArchitectureStore', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('builds a chain from the palette, each new block reading the selected one', () => {
    const store = useArchitectureStore();
    store.newGraph('text-classification');
    for (const kind of [
      { input: 'tokens' },
      { op: 'embedding' },
      { op: 'globalAveragePool1d' },
      { op: 'classifier' },
    ] as const)
      store.addBlock(kind);
    expect(store.draft.nodes.map((n) => [n.id, n.inputs])).toEqual([
      ['embedding', ['tokens']],
      ['globalAveragePool1d', ['embedding']],
      ['classifier', ['globalAveragePool1d']],
    ]);
    expect(store.valid).toBe(true);
    expect(store.spec.outputs).toEqual(['classifier']);
    // Each block was placed under the one it reads.
    expect(store.draft.layout['classifier']!.y).toBeGreaterThan(store.draft.layout['embedding']!.y);
  });

  it('a preset with a recipe of its own sets those fields, and the next preset puts them back to the defaults', () => {
    const store = useArchitectureStore();
    const recipe = useRecipeStore().hyperParams;
    store.presets = [...PRESETS];
    recipe.batchSize = 64;
    store.choosePreset('vit-image');
    const own = findPreset('vit-image')!.recipe!;
    expect(Object.keys(own).length).toBeGreaterThan(0);
    expect(recipe).toMatchObject(own);
    expect(recipe.batchSize).toBe(own.batchSize ?? 64);
    store.choosePreset('transformer-text');
    const defaults = hyperParamsSchema.parse({});
    for (const field of Object.keys(own))
      expect(recipe[field as keyof typeof recipe]).toEqual(defaults[field as keyof typeof defaults]);
    // A field the user set, and no preset touched, stays.
    expect(recipe.batchSize).toBe('batchSize' in own ? defaults.batchSize : 64);
  });

  it('undoes and redoes every edit, and its shapes, issues and totals with it', () => {
    const store = useArchitectureStore();
    store.open(findPreset('transformer-text')!.spec, 'transformer-text');
    expect(store.presetId).toBe('transformer-text');
    const params = store.validation.analysis.totalParams;
    store.setParam('encoder1', 'heads', 5);
    expect(store.presetId).toBeNull();
    expect(store.issuesByBlock.get('encoder1')!.map((i) => i.message)).toEqual([
      '5 heads do not divide the model width 64',
    ]);
    store.selection = ['encoder2'];
    store.removeSelected();
    expect(store.draft.nodes).toHaveLength(6);
    store.undo();
    expect(store.draft.nodes).toHaveLength(7);
    store.undo();
    expect(store.valid).toBe(true);
    expect(store.validation.analysis.totalParams).toBe(params);
    expect(store.canUndo).toBe(false);
    store.redo();
    expect(store.issues.map((i) => i.nodeId)).toEqual(['encoder1']);
    // A new edit after an undo drops what could have been redone.
    store.setParam('encoder1', 'heads', 8);
    expect(store.canRedo).toBe(false);
    expect(store.valid).toBe(true);
  });

  it('copies and pastes the selection, pasting again further on', () => {
    const store = useArchitectureStore();
    store.open(findPreset('transformer-text')!.spec, 'transformer-text');
    store.selection = ['encoder1', 'encoder2'];
    expect(store.copySelection()).toBe(2);
    store.paste();
    expect(store.selection).toEqual(['encoder3', 'encoder4']);
    store.paste();
    expect(store.selection).toEqual(['encoder5', 'encoder6']);
    const y = (id: string) => store.draft.layout[id]!.y;
    expect(y('encoder5') - y('encoder3')).toBe(y('encoder3') - y('encoder1'));
    // The first block of each pasted pair reads nothing yet: the graph says so, naming it.
    expect(store.issues.map((i) => i.nodeId)).toEqual(['encoder3', 'encoder5']);
  });

  it('deletes selected wires and blocks in one edit, and makes a new wire', () => {
    const store = useArchitectureStore();
    store.open(findPreset('transformer-seq2seq')!.spec, 'transformer-seq2seq');
    store.selection = ['next'];
    store.removeSelected([
      { target: 'decoder2', index: 0 },
      { target: 'decoder2', index: 1 },
    ]);
    expect(store.draft.nodes.find((n) => n.id === 'decoder2')!.inputs).toEqual([]);
    expect(store.draft.nodes.map((n) => n.id)).not.toContain('next');
    store.undo();
    expect(store.draft.nodes.find((n) => n.id === 'decoder2')!.inputs).toEqual(['decoder1', 'encoder2']);
    expect(store.connect('encoder1', 'decoder2', 1)).toBe(true);
    expect(store.draft.nodes.find((n) => n.id === 'decoder2')!.inputs).toEqual(['decoder1', 'encoder1']);
  });

  it('refuses a wire into an input block and says why, without an edit to undo', () => {
    const store = useArchitectureStore();
    store.open(findPreset('transformer-text')!.spec, 'transformer-text');
    expect(store.connect('head', 'tokens')).toBe(false);
    expect(store.notice).toBe('an input block reads nothing');
    expect(store.canUndo).toBe(false);
  });
});
