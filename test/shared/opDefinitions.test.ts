import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMPOSITE_STRUCTURE } from '../../src/shared/architecture/compositeStructure';
import { OP_CATALOG } from '../../src/shared/architecture/opCatalog';
import { arityOf, opParamSchemas } from '../../src/shared/architecture/ops';
import { OP_DEFINITIONS } from '../../src/shared/architecture/ops/index';
import { OP_SHAPES } from '../../src/shared/architecture/opShapes';

const HELPERS = ['defineOp', 'index', 'innerSteps', 'opDescription', 'paramHelp', 'paramSchemas', 'shapeRules'];

describe('op modules', () => {
  it('declare each op in one file named after it, and every table is read off them', async () => {
    const files = readdirSync(new URL('../../src/shared/architecture/ops/', import.meta.url))
      .map((file) => file.replace(/\.ts$/, ''))
      .filter((name) => !HELPERS.includes(name));
    const names = Object.keys(OP_DEFINITIONS);
    expect(files.sort()).toEqual([...names].sort());
    for (const name of names) {
      const module = (await import(`../../src/shared/architecture/ops/${name}.ts`)) as Record<string, unknown>;
      expect(Object.keys(module), name).toEqual([name]);
      const definition = OP_DEFINITIONS[name as keyof typeof OP_DEFINITIONS];
      expect(module[name]).toBe(definition);
      expect(opParamSchemas[name as keyof typeof opParamSchemas]).toBe(definition.schema);
      expect(OP_SHAPES[name as keyof typeof OP_SHAPES]).toBe(definition.shape);
      expect(OP_CATALOG[name as keyof typeof OP_CATALOG]).toBe(definition.catalog);
      expect(COMPOSITE_STRUCTURE[name as keyof typeof COMPOSITE_STRUCTURE]).toBe(
        'inside' in definition ? definition.inside : undefined,
      );
    }
    expect(arityOf('transformerDecoder')).toEqual({ min: 2, max: 2 });
    expect(arityOf('dense')).toEqual({ min: 1, max: 1 });
  });
});
