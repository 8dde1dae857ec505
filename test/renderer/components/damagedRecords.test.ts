// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import DamagedRecords from '../../../src/renderer/src/components/runs/DamagedRecords.vue';

describe('DamagedRecords', () => {
  it('lists each unreadable record with its file and reason, and shows nothing when all read', () => {
    const records = [
      { id: 'r1', file: 'runs/r1/run.json', reason: 'createdAt: Invalid input: expected string, received undefined' },
      { id: 'cmp-0123456789ab', file: 'comparisons/cmp-0123456789ab.json', reason: 'not JSON (Unexpected end)' },
    ];
    const view = mount(DamagedRecords, { props: { records } });
    expect(view.find('summary').text()).toBe('2 damaged records left out of the list');
    expect(view.findAll('[data-testid=runs-damaged-record]').map((li) => li.text())).toEqual([
      'runs/r1/run.json: createdAt: Invalid input: expected string, received undefined',
      'comparisons/cmp-0123456789ab.json: not JSON (Unexpected end)',
    ]);
    expect(
      mount(DamagedRecords, { props: { records: [] } })
        .find('details')
        .exists(),
    ).toBe(false);
  });
});
