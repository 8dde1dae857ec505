import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/shared/architecture/presets';

const ROOT = new URL('../../', import.meta.url).pathname;

/** The pictures the end-to-end tests take with screenshotPath(): literal names, and one per preset for the editor. */
function takenPictures(): Set<string> {
  const names = new Set<string>();
  for (const file of readdirSync(`${ROOT}test/e2e`)) {
    const source = readFileSync(`${ROOT}test/e2e/${file}`, 'utf8');
    for (const [, name] of source.matchAll(/screenshotPath\('([^']+)'\)/g)) names.add(name!);
    for (const [, pattern] of source.matchAll(/screenshotPath\(`([^`]+)`\)/g)) {
      if (pattern!.includes('${preset.id}')) for (const p of PRESETS) names.add(pattern!.replace('${preset.id}', p.id));
      if (pattern!.includes('${theme}')) for (const theme of ['light', 'dark']) names.add(pattern!.replace('${theme}', theme));
    }
  }
  return names;
}

describe('the pictures in docs/', () => {
  it('are each taken again by npm run screenshots, so none shows an app that is gone', () => {
    const taken = takenPictures();
    const inDocs = readdirSync(`${ROOT}docs`).filter((file) => file.endsWith('.png'));
    expect(inDocs.filter((file) => !taken.has(file))).toEqual([]);
  });

  it('include every picture the README and ARCHITECTURE.md show, and each of those exists', () => {
    const taken = takenPictures();
    const shown = ['README.md', 'docs/ARCHITECTURE.md'].flatMap((file) =>
      [...readFileSync(`${ROOT}${file}`, 'utf8').matchAll(/\(((?:docs\/)?[\w.-]+\.png)\)/g)].map((m) => m[1]!.replace(/^docs\//, '')),
    );
    expect(shown.length).toBeGreaterThan(5);
    expect(shown.filter((name) => !taken.has(name))).toEqual([]);
    const inDocs = new Set(readdirSync(`${ROOT}docs`));
    expect(shown.filter((name) => !inDocs.has(name))).toEqual([]);
  });
});
