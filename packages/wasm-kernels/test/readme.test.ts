import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { registryTable } from '../build/registryTable';

describe("the package's README", () => {
  it('shows the registry table as registry.ts has it', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const [, table] = readme.split(/<!-- registry:(?:start|end) -->/);
    expect(table?.trim()).toBe(registryTable());
  });
});
