import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'vue/compiler-sfc';
import { NodeTypes, type RootNode, type TemplateChildNode } from '@vue/compiler-core';
import { describe, expect, it } from 'vitest';
import { LANGUAGES, MESSAGES, pickLanguage } from '../../src/shared/i18n/languages';
import { createWorkbenchI18n } from '../../src/shared/i18n/translator';
import { INPUT_CATALOG, OP_CATALOG } from '../../src/shared/architecture/opCatalog';

const RENDERER = 'src/renderer/src';
/** Attributes a user reads or a screen reader speaks: they must be translated as text nodes are. */
const READ_ATTRIBUTES = new Set(['title', 'placeholder', 'aria-label', 'alt', 'label']);
/** A word: two letters or more. Digits, symbols and single letters (×, ·, %, "x") are not language. */
const WORD = /[A-Za-z]{2,}/;

function vueFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return vueFiles(path);
    return entry.name.endsWith('.vue') ? [path] : [];
  });
}

/** The English a template shows without going through a translation: text nodes and read attributes. */
function bareEnglish(root: RootNode): string[] {
  const found: string[] = [];
  const walk = (node: RootNode | TemplateChildNode) => {
    if (node.type === NodeTypes.TEXT && WORD.test(node.content)) found.push(node.content.trim());
    if (node.type === NodeTypes.ELEMENT) {
      for (const prop of node.props) {
        if (prop.type === NodeTypes.ATTRIBUTE && READ_ATTRIBUTES.has(prop.name) && WORD.test(prop.value?.content ?? ''))
          found.push(`${prop.name}="${prop.value!.content}"`);
      }
    }
    if ('children' in node)
      for (const child of node.children) if (typeof child === 'object') walk(child as TemplateChildNode);
  };
  walk(root);
  return found;
}

function flatKeys(messages: object, prefix = ''): string[] {
  return Object.entries(messages).flatMap(([key, value]) =>
    value && typeof value === 'object' ? flatKeys(value as object, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

function lookup(messages: object, key: string): unknown {
  return key
    .split('.')
    .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], messages);
}

describe('the translations', () => {
  it('leave no bare English in any template', () => {
    const offenders = vueFiles(RENDERER).flatMap((file) => {
      const { descriptor } = parse(readFileSync(file, 'utf8'), { filename: file });
      return descriptor.template?.ast ? bareEnglish(descriptor.template.ast).map((text) => `${file}: ${text}`) : [];
    });
    expect(offenders).toEqual([]);
  });

  it('finds bare English when a template has some (the check above can fail)', () => {
    const { descriptor } = parse('<template><p title="Close it">Train <b>{{ x }}</b> 3 × 4</p></template>');
    expect(bareEnglish(descriptor.template!.ast!)).toEqual(['title="Close it"', 'Train']);
  });

  it('has every key in every language, each a non-empty string', () => {
    const english = flatKeys(MESSAGES.en).sort();
    expect(english.length).toBeGreaterThan(250);
    for (const language of LANGUAGES) {
      const keys = flatKeys(MESSAGES[language]).sort();
      expect({ language, keys }).toEqual({ language, keys: english });
      for (const key of keys) expect(lookup(MESSAGES[language], key), `${language}: ${key}`).toMatch(/\S/);
    }
  });

  it('keeps the same placeholders in both languages, so no value goes missing in translation', () => {
    const placeholders = (text: unknown) => [...String(text).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of flatKeys(MESSAGES.en)) {
      expect(placeholders(lookup(MESSAGES['zh-CN'], key)), key).toEqual(placeholders(lookup(MESSAGES.en, key)));
    }
  });

  it('renders every message as written: placeholders filled, literals unescaped, plurals only where meant', () => {
    const i18n = createWorkbenchI18n('en');
    for (const language of LANGUAGES) {
      i18n.global.locale.value = language;
      for (const key of flatKeys(MESSAGES.en)) {
        const source = String(lookup(MESSAGES[language], key));
        const named = Object.fromEntries([...source.matchAll(/\{(\w+)\}/g)].map((m) => [m[1]!, `<${m[1]}>`]));
        const choices = source.split(/ \| /);
        // A plural ("none | one | many") is asked for with its count; anything else must come out whole.
        const shown = choices.length > 1 ? i18n.global.t(key, named, 2) : i18n.global.t(key, named);
        const expected = choices
          .at(-1)!
          .replace(/\{'(.)'\}/g, '$1')
          .replace(/\{(\w+)\}/g, '<$1>');
        expect(shown, `${language}: ${key}`).toBe(expected);
      }
    }
  });

  it('resolves every key the renderer asks for', () => {
    const asked = vueFiles(RENDERER)
      .concat(readdirSync(join(RENDERER, 'stores')).map((f) => join(RENDERER, 'stores', f)))
      .flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([\w.]+)'/g)].map((m) => `${file}: ${m[1]}`),
      );
    expect(asked.length).toBeGreaterThan(200);
    expect(asked.filter((entry) => lookup(MESSAGES.en, entry.split(': ')[1]!) === undefined)).toEqual([]);
  });

  it('names every block of the palette, and every input kind, in every language', () => {
    for (const kind of [...Object.keys(OP_CATALOG), ...Object.keys(INPUT_CATALOG)]) {
      expect(lookup(MESSAGES.en, `blocks.${kind}`), kind).toBeTypeOf('string');
    }
  });

  it('speaks Chinese to any Chinese locale and English otherwise', () => {
    expect(pickLanguage(['zh-TW', 'en'])).toBe('zh-CN');
    expect(pickLanguage(['fr-FR', 'zh-CN'])).toBe('zh-CN');
    expect(pickLanguage(['en-GB', 'zh-CN'])).toBe('en');
    expect(pickLanguage(['de'])).toBe('en');
    expect(pickLanguage([])).toBe('en');
  });
});
