import { z } from 'zod';

/**
 * ModelSpec: an architecture as a JSON graph. Inputs feed nodes; each node names an op, its params and the ids of
 * the nodes (or inputs) it reads. The same document is drawn by the editor, validated here, built by the engine and
 * saved with every run.
 */

const identifier = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/, 'an id is a letter or _ followed by letters, digits, _ or -');

export const taskSchema = z.enum(['image-classification', 'text-classification', 'sequence-labelling', 'seq2seq']);
export type Task = z.infer<typeof taskSchema>;

export const tokenInputSchema = z
  .object({
    id: identifier,
    kind: z.literal('tokens'),
    /** Sequences are cut or padded (with id 0) to this many tokens. */
    maxLength: z.number().int().min(2).max(4096),
    /** The largest vocabulary the tokenizer may build, reserved tokens included. */
    vocabSize: z.number().int().min(8).max(500_000),
  })
  .strict();

export const imageInputSchema = z
  .object({
    id: identifier,
    kind: z.literal('image'),
    height: z.number().int().min(1).max(4096),
    width: z.number().int().min(1).max(4096),
    channels: z.number().int().min(1).max(4),
  })
  .strict();

export const inputSpecSchema = z.discriminatedUnion('kind', [tokenInputSchema, imageInputSchema]);
export type InputSpec = z.infer<typeof inputSpecSchema>;
export type TokenInputSpec = z.infer<typeof tokenInputSchema>;
export type ImageInputSpec = z.infer<typeof imageInputSchema>;

export const nodeSpecSchema = z
  .object({
    id: identifier,
    op: z.string().min(1),
    params: z.record(z.string(), z.unknown()).default({}),
    inputs: z.array(identifier).min(1),
  })
  .strict();
export type NodeSpec = z.infer<typeof nodeSpecSchema>;

/** Where the editor drew each input and node; the engine ignores it. */
export const specLayoutSchema = z.record(
  identifier,
  z.object({ x: z.number().finite(), y: z.number().finite() }).strict(),
);
export type SpecLayout = z.infer<typeof specLayoutSchema>;

/** The most nodes a spec may hold: far above any model that trains here, low enough to bound validation. */
export const MAX_SPEC_NODES = 2000;

export const modelSpecSchema = z
  .object({
    name: z.string().min(1).max(200),
    task: taskSchema,
    inputs: z.array(inputSpecSchema).min(1).max(8),
    nodes: z.array(nodeSpecSchema).min(1).max(MAX_SPEC_NODES),
    outputs: z.array(identifier).min(1),
    layout: specLayoutSchema.optional(),
  })
  .strict();
export type ModelSpec = z.infer<typeof modelSpecSchema>;
