import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const RENDERER = 'src/renderer/src';
const THEME_FILE = join(RENDERER, 'theme/theme.css');

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(vue|ts|css)$/.test(entry.name) ? [path] : [];
  });
}

/** The custom properties a theme block of theme.css defines. */
function tokensOf(css: string, selector: string): Set<string> {
  const block = new RegExp(`${selector.replace(/[[\]'()]/g, '\\$&')}\\s*\\{([^}]*)\\}`).exec(css)?.[1] ?? '';
  return new Set([...block.matchAll(/(--[a-z0-9-]+)\s*:/g)].map((m) => m[1]!));
}

describe('the theme file', () => {
  it('holds every colour of the renderer: no other file writes a colour literal', () => {
    // viridis is data (the heatmaps' colour map, the same in both themes), computed into rgb() at draw time.
    const literal = /#[0-9a-f]{3,8}\b|rgba?\(\s*\d/i;
    const offenders = sourceFiles(RENDERER)
      .filter((file) => file !== THEME_FILE)
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .map((line, i) => ({ file, line: i + 1, text: line }))
          .filter(({ text }) => literal.test(text)),
      );
    expect(offenders).toEqual([]);
  });

  it('defines the same tokens in the dark and the light theme, and every token the renderer uses', () => {
    const css = readFileSync(THEME_FILE, 'utf8');
    const dark = tokensOf(css, "[data-theme='dark']");
    const light = tokensOf(css, "[data-theme='light']");
    expect(dark.size).toBeGreaterThan(30);
    expect([...dark].sort()).toEqual([...light].sort());
    const used = new Set(
      sourceFiles(RENDERER).flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(/var\((--[a-z0-9-]+)\)|token\('([a-z0-9-]+)'\)/g)].map(
          (m) => m[1] ?? `--${m[2]}`,
        ),
      ),
    );
    expect([...used].filter((token) => !dark.has(token))).toEqual([]);
  });
});
