// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import ArchPalette from '../../../src/renderer/src/components/architecture/ArchPalette.vue';
import { BLOCK_DRAG_TYPE } from '../../../src/renderer/src/interaction/paletteDrag';
import { PALETTE_GROUPS } from '../../../src/shared/architecture/opCatalog';
import { opParamSchemas } from '../../../src/shared/architecture/ops';

describe('ArchPalette', () => {
  it("lists every block under the issue's groups, in order", () => {
    const palette = mount(ArchPalette);
    expect(palette.findAll('h3').map((h) => h.text())).toEqual([...PALETTE_GROUPS]);
    expect(palette.findAll('button')).toHaveLength(Object.keys(opParamSchemas).length + 2);
    const attention = palette.findAll('section').find((s) => s.find('h3').text() === 'Attention')!;
    expect(attention.findAll('button').map((b) => b.text())).toEqual([
      'Multi-head attention',
      'Additive attention',
      'Attention pooling',
      'Squeeze-and-excitation',
      'Spatial attention',
      'CBAM',
    ]);
  });

  it('adds a block when an entry is pressed, and the first match of a search on Enter', async () => {
    const palette = mount(ArchPalette);
    await palette.find('[data-testid=palette-cbam]').trigger('click');
    await palette.find('[data-testid=palette-input-tokens]').trigger('click');
    const search = palette.find('[data-testid=arch-palette-search]');
    await search.setValue('encoder');
    expect(palette.findAll('section button').map((b) => b.text())).toEqual(['Transformer encoder block']);
    await search.trigger('keydown', { key: 'Enter' });
    expect((search.element as HTMLInputElement).value).toBe('');
    await search.setValue('no such block');
    await search.trigger('keydown', { key: 'Enter' });
    expect(palette.emitted('add')).toEqual([[{ op: 'cbam' }], [{ input: 'tokens' }], [{ op: 'transformerEncoder' }]]);
  });

  it('drags an entry as a block that the canvas can read back', async () => {
    const palette = mount(ArchPalette);
    const carried = new Map<string, string>();
    const dataTransfer = { setData: (type: string, value: string) => carried.set(type, value), effectAllowed: 'none' };
    const entry = palette.find('[data-testid=palette-transformerDecoder]');
    expect(entry.attributes('draggable')).toBe('true');
    await entry.trigger('dragstart', { dataTransfer });
    expect(JSON.parse(carried.get(BLOCK_DRAG_TYPE)!)).toEqual({ op: 'transformerDecoder' });
    expect(dataTransfer.effectAllowed).toBe('copy');
  });
});
