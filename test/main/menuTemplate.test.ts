import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { menuTemplate } from '../../src/main/menuTemplate';
import { createTranslator } from '../../src/shared/i18n/translator';
import type { MenuCommand } from '../../src/shared/ipc';

/** Every item of a menu template, submenus flattened. */
function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((item) => [
    item,
    ...(Array.isArray(item.submenu) ? items(item.submenu as MenuItemConstructorOptions[]) : []),
  ]);
}

describe('the native menus', () => {
  it('name every item in Chinese when the window shows Chinese, roles included', () => {
    const labels = items(menuTemplate(createTranslator('zh-CN'), { openSpec: () => {}, send: () => {} }))
      .filter((item) => item.type !== 'separator')
      .map((item) => item.label ?? '');
    expect(labels).toContain('文件');
    expect(labels).toContain('撤销');
    // No item is left to Electron's English role names, and none is English.
    expect(labels.filter((label) => !label || /[A-Za-z]{3,}/.test(label.replace(/PNG|SVG/g, '')))).toEqual([]);
  });

  it('send the same commands whatever the language', () => {
    const sent: Record<string, MenuCommand[]> = { en: [], 'zh-CN': [] };
    for (const language of ['en', 'zh-CN'] as const) {
      const template = menuTemplate(createTranslator(language), {
        openSpec: () => sent[language]!.push({ command: 'save-spec' }),
        send: (command) => sent[language]!.push(command),
      });
      for (const item of items(template)) (item.click as (() => void) | undefined)?.();
    }
    expect(sent['zh-CN']).toEqual(sent['en']);
    expect(sent['en']!.map((c) => c.command)).toEqual([
      'save-spec',
      'save-spec',
      'export-png',
      'export-svg',
      'undo',
      'redo',
    ]);
  });
});
