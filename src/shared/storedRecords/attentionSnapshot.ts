import { z } from 'zod';
import type { AttentionEvent } from '../events';
import { MAX_LENGTH_PENALTY } from '../prediction';
import { patchPositions } from '../patchAttention';
import { storedCount, storedNumber } from './storedNumber';

/** The largest [heads, queries, keys] a snapshot layer may claim: bounds the Float32Array it becomes. */
const MAX_WEIGHTS = 16 * 1024 * 1024;
const labels = z.array(z.string().max(1000)).max(65_536);

const layerSchema = z
  .object({
    layer: z.string().max(200),
    kind: z.enum(['tokens', 'channels', 'spatial']),
    queryLabels: labels,
    keyLabels: labels,
    heads: storedCount(4096),
    queries: storedCount(65_536),
    keys: storedCount(65_536),
    // Written as plain numbers by the store; a Float32Array when the event comes straight from the worker.
    weights: z.union([z.instanceof(Float32Array), z.array(storedNumber).max(MAX_WEIGHTS)]),
    patches: z
      .object({ rows: storedCount(65_536), columns: storedCount(65_536), classToken: z.boolean() })
      .strict()
      .optional(),
  })
  .refine((layer) => layer.weights.length === layer.heads * layer.queries * layer.keys, {
    message: 'weights do not hold heads x queries x keys values',
    path: ['weights'],
  })
  .refine(({ patches, keys }) => !patches || patchPositions(patches) === keys, {
    message: 'the patch grid does not have as many patches as the layer has keys',
    path: ['patches'],
  })
  .transform((layer) => ({ ...layer, weights: Float32Array.from(layer.weights) }));

const imageSchema = z
  .object({
    height: storedCount(4096),
    width: storedCount(4096),
    channels: storedCount(4),
    pixels: z.union([z.instanceof(Float32Array), z.array(storedNumber).max(MAX_WEIGHTS)]),
  })
  .refine((image) => image.pixels.length === image.height * image.width * image.channels, {
    message: 'pixels do not hold height x width x channels values',
    path: ['pixels'],
  })
  .transform((image) => ({ ...image, pixels: Float32Array.from(image.pixels) }));

/** An attention snapshot (attention/epoch-N.json), its weights back as Float32Arrays. */
export const attentionEventSchema = z.object({
  type: z.literal('attention'),
  runId: z.string(),
  epoch: storedCount(1_000_000),
  globalStep: storedCount(Number.MAX_SAFE_INTEGER),
  tokens: z.array(z.string().max(1000)).max(65_536),
  label: z.string().max(10_000),
  predicted: z.string().max(10_000),
  layers: z.array(layerSchema).max(1000),
  decoded: z
    .object({
      greedy: z.string().max(100_000),
      beam: z.string().max(100_000),
      beamWidth: storedCount(64),
      lengthPenalty: z.number().min(0).max(MAX_LENGTH_PENALTY).optional(),
      greedyLogProb: storedNumber,
      beamLogProb: storedNumber,
    })
    .optional(),
  image: imageSchema.optional(),
}) satisfies z.ZodType<AttentionEvent, unknown>;
