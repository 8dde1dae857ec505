// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import AttentionReplay from '../../../src/renderer/src/components/AttentionReplay.vue';

/** The run store as the slider asks it: each run's saved attention epochs, which the test grows. */
const saved: Record<string, number[]> = { first: [1], second: [1, 2, 3] };
window.workbench = {
  invoke: async (channel: string, request: unknown) => {
    const { runId } = request as { runId: string };
    if (channel === 'runs:details') return { ok: true, value: { attentionEpochs: saved[runId] ?? [] } };
    return { ok: true, value: { type: 'attention', runId, layers: [] } };
  },
  on: () => () => undefined,
} as unknown as NonNullable<typeof window.workbench>;

describe('AttentionReplay', () => {
  it('stays on the past epoch chosen when the run ends or saves another, and starts another run live', async () => {
    const view = mount(AttentionReplay, { props: { runId: 'first', epochsDone: 1, finished: false } });
    await flushPromises();
    const slider = view.get('[data-testid=epoch-slider]');
    expect(view.text()).toContain('live');
    await slider.setValue('0');
    await flushPromises();
    expect(view.text()).toContain('after epoch 1 of 1');
    // The run saves epoch 2 and ends: the list is asked for again, and the choice stays.
    saved['first'] = [1, 2];
    await view.setProps({ epochsDone: 2, finished: true });
    await flushPromises();
    expect(view.get('[data-testid=epoch-slider]').attributes('data-epochs')).toBe('2');
    expect(view.text()).toContain('after epoch 1 of 2');
    // Another run is shown from its live end.
    await view.setProps({ runId: 'second', epochsDone: 3, finished: true });
    await flushPromises();
    expect(view.get('[data-testid=epoch-slider]').attributes('data-epochs')).toBe('3');
    expect(view.text()).not.toContain('after epoch');
  });
});
