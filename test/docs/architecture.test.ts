import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;

describe('docs/ARCHITECTURE.md', () => {
  it('names only paths that exist in the repository', () => {
    const text = readFileSync(join(ROOT, 'docs/ARCHITECTURE.md'), 'utf8');
    // Every code span that looks like a repository path: a known top-level folder or file, then the rest.
    const paths = [...text.matchAll(/`((?:src|test|bench|resources|docs|scripts)\/[^`\s]*|[\w.-]+\.(?:js|ts|json))`/g)].map(
      (match) => match[1]!,
    );
    expect(paths.length).toBeGreaterThan(30);
    expect(paths.filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
  });

  it('is where the README sends a reader, and points nowhere outside the repository', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('docs/ARCHITECTURE.md');
    expect(readFileSync(join(ROOT, 'docs/ARCHITECTURE.md'), 'utf8')).not.toMatch(/\.\.\/shared|\/work\//);
  });
});
