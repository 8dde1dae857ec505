import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NodeTypes, type ElementNode, type RootNode, type TemplateChildNode } from '@vue/compiler-core';
import { parse } from 'vue/compiler-sfc';
import { describe, expect, it } from 'vitest';

const RENDERER = 'src/renderer/src';
/** Elements the keyboard reaches and activates by themselves. */
const INTERACTIVE = new Set([
  'button',
  'a',
  'input',
  'select',
  'textarea',
  'summary',
  'option',
  'ControlButton',
  'label',
]);

function vueFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return vueFiles(path);
    return entry.name.endsWith('.vue') ? [path] : [];
  });
}

/** Elements that act on a click but that Tab cannot reach or Enter cannot press. */
function mouseOnly(root: RootNode): string[] {
  const found: string[] = [];
  const walk = (node: RootNode | TemplateChildNode) => {
    if (node.type === NodeTypes.ELEMENT) {
      const element = node as ElementNode;
      const on = (event: string) =>
        element.props.some(
          (p) =>
            p.type === NodeTypes.DIRECTIVE &&
            p.name === 'on' &&
            p.arg?.type === NodeTypes.SIMPLE_EXPRESSION &&
            p.arg.content === event,
        );
      const focusable = element.props.some((p) => p.type === NodeTypes.ATTRIBUTE && p.name === 'tabindex');
      if (on('click') && !INTERACTIVE.has(element.tag) && !(focusable && on('keydown'))) found.push(`<${element.tag}>`);
    }
    if ('children' in node)
      for (const child of node.children) if (typeof child === 'object') walk(child as TemplateChildNode);
  };
  walk(root);
  return found;
}

describe('the keyboard', () => {
  it('reaches and presses everything a click does: no mouse-only element in any template', () => {
    const offenders = vueFiles(RENDERER).flatMap((file) => {
      const { descriptor } = parse(readFileSync(file, 'utf8'), { filename: file });
      return descriptor.template?.ast ? mouseOnly(descriptor.template.ast).map((tag) => `${file}: ${tag}`) : [];
    });
    expect(offenders).toEqual([]);
  });

  it('finds a mouse-only element when a template has one (the check above can fail)', () => {
    const { descriptor } = parse(
      '<template><div @click="go"></div><li tabindex="0" @click="go" @keydown.enter="go"></li><button @click="go" /></template>',
    );
    expect(mouseOnly(descriptor.template!.ast!)).toEqual(['<div>']);
  });
});
