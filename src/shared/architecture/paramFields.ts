import { z } from 'zod';
import { imageInputSchema, tokenInputSchema } from './modelSpec';
import { opParamSchemas, type OpName } from './ops';
import { hyperParamsSchema, type HyperParams } from '../hyperParams';

/** One control of the inspector, read off the op's schema so that the form and the validation cannot disagree. */
export type ParamField = {
  name: string;
  /** No default and not required: an empty field leaves it out (a dropout rate then takes the run's). */
  optional: boolean;
  defaultValue?: unknown;
} & (
  { kind: 'integer' | 'number'; min?: number; max?: number } | { kind: 'enum'; options: string[] } | { kind: 'boolean' }
);

interface JsonSchemaProperty {
  type?: string;
  enum?: string[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  default?: unknown;
}

function fieldsOf(schema: z.ZodObject, skip: string[] = []): ParamField[] {
  const json = z.toJSONSchema(schema, { io: 'input' }) as {
    properties?: Record<string, JsonSchemaProperty>;
    required?: string[];
  };
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties ?? {})
    .filter(([name]) => !skip.includes(name))
    .map(([name, property]): ParamField => {
      const base = {
        name,
        optional: !required.has(name) && property.default === undefined,
        ...(property.default !== undefined ? { defaultValue: property.default } : {}),
      };
      if (property.enum) return { ...base, kind: 'enum', options: property.enum };
      if (property.type === 'boolean') return { ...base, kind: 'boolean' };
      const min = property.minimum ?? property.exclusiveMinimum;
      return {
        ...base,
        kind: property.type === 'integer' ? 'integer' : 'number',
        ...(min !== undefined ? { min } : {}),
        ...(property.maximum !== undefined ? { max: property.maximum } : {}),
      };
    });
}

const cache = new Map<string, ParamField[]>();
const cached = (key: string, make: () => ParamField[]) => cache.get(key) ?? cache.set(key, make()).get(key)!;

/** The inspector's controls for an op's parameters. */
export const opParamFields = (op: OpName): ParamField[] => cached(op, () => fieldsOf(opParamSchemas[op]));

/** The inspector's controls for an input block (its id and kind are not parameters). */
export const inputParamFields = (kind: 'image' | 'tokens'): ParamField[] =>
  cached(`input:${kind}`, () => fieldsOf(kind === 'image' ? imageInputSchema : tokenInputSchema, ['id', 'kind']));

/** A training form field's limits, from the schema; integer fields step by one. */
export interface HyperParamBounds {
  min?: number;
  max?: number;
  integer: boolean;
}

/** The training form's limits, by field: the same schema main validates train:start with. */
export const hyperParamBounds = (): Record<keyof HyperParams, HyperParamBounds> =>
  Object.fromEntries(
    cached('hyperParams', () => fieldsOf(hyperParamsSchema)).map((field) => [
      field.name,
      'min' in field ? { min: field.min, max: field.max, integer: field.kind === 'integer' } : { integer: false },
    ]),
  ) as Record<keyof HyperParams, HyperParamBounds>;
