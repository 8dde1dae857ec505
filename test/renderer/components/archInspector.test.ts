// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import ArchInspector from '../../../src/renderer/src/components/architecture/ArchInspector.vue';
import { useArchitectureStore } from '../../../src/renderer/src/stores/architectureStore';
import { findPreset } from '../../../src/shared/architecture/presets';

describe('ArchInspector', () => {
  let store: ReturnType<typeof useArchitectureStore>;
  beforeEach(() => {
    setActivePinia(createPinia());
    store = useArchitectureStore();
    store.open(findPreset('transformer-text')!.spec, 'transformer-text');
  });

  it('shows a selected block with a control per parameter: ranged numbers, selects, switches, and a line of help each', async () => {
    store.selection = ['encoder1'];
    const inspector = mount(ArchInspector);
    await inspector.vm.$nextTick();
    expect(inspector.find('h3').text()).toContain('Transformer encoder block');
    const heads = inspector.find('[data-testid=param-heads]');
    expect(heads.attributes()).toMatchObject({ type: 'number', min: '1', max: '64', step: '1' });
    expect((heads.element as HTMLInputElement).value).toBe('4');
    const normFirst = inspector.find('[data-testid=param-normFirst]');
    expect(normFirst.attributes()).toMatchObject({ type: 'checkbox', role: 'switch' });
    expect(inspector.find('[data-testid=param-dropout]').attributes('placeholder')).toBe("run's setting");
    expect(inspector.findAll('.help').map((p) => p.text())).toHaveLength(4);
    expect(inspector.text()).toContain('Must divide the width');
    expect(inspector.text()).toContain('Output [64, 64]');

    store.selection = ['position'];
    await inspector.vm.$nextTick();
    const kind = inspector.find('[data-testid=param-kind]');
    expect(kind.element.tagName).toBe('SELECT');
    expect(kind.findAll('option').map((o) => o.text())).toEqual(['learned', 'sinusoidal']);
  });

  it('edits the graph: a wrong head count turns into the message from shape inference, a fixed one clears it', async () => {
    store.selection = ['encoder1'];
    const inspector = mount(ArchInspector);
    await inspector.vm.$nextTick();
    await inspector.find('[data-testid=param-heads]').setValue('5');
    expect(store.draft.nodes.find((n) => n.id === 'encoder1')!.params['heads']).toBe(5);
    expect(inspector.find('[role=alert]').text()).toBe('5 heads do not divide the model width 64');
    expect(inspector.find('.param.invalid').exists()).toBe(true);
    await inspector.find('[data-testid=param-heads]').setValue('8');
    expect(inspector.find('[role=alert]').exists()).toBe(false);
    await inspector.find('[data-testid=param-normFirst]').setValue(true);
    expect(store.draft.nodes.find((n) => n.id === 'encoder1')!.params['normFirst']).toBe(true);
    // An emptied optional field goes back to the run's setting: the parameter leaves the spec.
    await inspector.find('[data-testid=param-dropout]').setValue('0.2');
    expect(store.draft.nodes.find((n) => n.id === 'encoder1')!.params['dropout']).toBe(0.2);
    await inspector.find('[data-testid=param-dropout]').setValue('');
    expect('dropout' in store.draft.nodes.find((n) => n.id === 'encoder1')!.params).toBe(false);
  });

  it('rewires a block from its input selects, and edits an input block and the graph itself', async () => {
    store.selection = ['encoder2'];
    const inspector = mount(ArchInspector);
    await inspector.vm.$nextTick();
    const wire = inspector.find('[data-testid=wire-0]');
    expect((wire.element as HTMLSelectElement).value).toBe('encoder1');
    await wire.setValue('position');
    expect(store.draft.nodes.find((n) => n.id === 'encoder2')!.inputs).toEqual(['position']);
    await wire.setValue('');
    expect(store.issues.map((i) => i.nodeId)).toContain('encoder2');

    store.selection = ['tokens'];
    await inspector.vm.$nextTick();
    await inspector.find('[data-testid=param-maxLength]').setValue('32');
    expect(store.draft.inputs[0]).toMatchObject({ maxLength: 32 });

    store.selection = [];
    await inspector.vm.$nextTick();
    await inspector.find('[data-testid=arch-name]').setValue('My classifier');
    expect(store.spec.name).toBe('My classifier');
  });
});
