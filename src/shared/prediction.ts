import { z } from 'zod';
import type { AttentionEvent } from './events';

/**
 * Asking a trained run about one example: one the user types or drops (the playground, `npm run predict`), or one
 * of the run's own validation or test rows (the sample picker, the misclassified browser, the image grid).
 */

/**
 * The largest image the playground sends (the window scales a bigger one down first, so that a request stays well
 * under the browser host's 1 MiB message); the engine resizes it to the model's input.
 */
export const MAX_PLAYGROUND_PIXELS = 256 * 256;
/** The longest text: a model reads at most a few hundred tokens of it anyway. */
export const MAX_PLAYGROUND_TEXT = 20_000;
export const MAX_BEAM_WIDTH = 16;
/** Wu et al. 2016 found 0.6-0.7 best for translation; 0 turns length normalisation off. */
export const DEFAULT_LENGTH_PENALTY = 0.6;
export const MAX_LENGTH_PENALTY = 2;

const runId = z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, 'a run id is letters, digits, _ or -');
// Base64 of RGBA bytes (4 per pixel), 4 characters per 3 bytes.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export const exampleSchema = z.discriminatedUnion('kind', [
  /** Text to classify or tag, or a source sentence to translate. */
  z.object({ kind: z.literal('text'), text: z.string().min(1).max(MAX_PLAYGROUND_TEXT) }).strict(),
  /** An image as RGBA bytes, row-major, in base64; resized to the model's input size. */
  z
    .object({
      kind: z.literal('image'),
      width: z.number().int().min(1).max(MAX_PLAYGROUND_PIXELS),
      height: z.number().int().min(1).max(MAX_PLAYGROUND_PIXELS),
      rgba: z
        .string()
        .max(Math.ceil((MAX_PLAYGROUND_PIXELS * 4) / 3) * 4 + 4)
        .regex(BASE64, 'rgba is base64'),
    })
    .strict()
    .refine((image) => image.width * image.height <= MAX_PLAYGROUND_PIXELS, {
      message: `an image of at most ${MAX_PLAYGROUND_PIXELS} pixels`,
    })
    .refine(
      (image) => Math.floor((image.rgba.length * 3) / 4) - padding(image.rgba) === image.width * image.height * 4,
      {
        message: 'rgba holds 4 bytes per pixel of width x height',
        path: ['rgba'],
      },
    ),
  /** Row `row` of the run's own split, as the run split its dataset. */
  z
    .object({
      kind: z.literal('sample'),
      split: z.enum(['train', 'validation', 'test']),
      row: z.number().int().min(0).max(100_000_000),
    })
    .strict(),
]);
export type Example = z.infer<typeof exampleSchema>;

function padding(base64: string): number {
  return base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
}

export const predictRequestSchema = z
  .object({
    runId,
    example: exampleSchema,
    /** Seq2seq: the beam search's width beside greedy decoding. */
    beamWidth: z.number().int().min(1).max(MAX_BEAM_WIDTH).default(4),
    /** Seq2seq: GNMT's length-normalisation exponent alpha for the beam's ranking; 0 ranks by log-probability. */
    lengthPenalty: z.number().min(0).max(MAX_LENGTH_PENALTY).default(DEFAULT_LENGTH_PENALTY),
  })
  .strict();
export type PredictRequest = z.infer<typeof predictRequestSchema>;

/** An example as the engine gets it: the image's bytes decoded from base64. */
export type DecodedExample =
  | { kind: 'text'; text: string }
  | { kind: 'image'; width: number; height: number; rgba: Uint8Array }
  | { kind: 'sample'; split: 'train' | 'validation' | 'test'; row: number };

export interface ClassProbability {
  label: string;
  probability: number;
}

/** A tagger's answer for one token: its tag and how sure it is. */
export interface TokenTag {
  token: string;
  tag: string;
  probability: number;
}

/** What a trained run says about one example, with the attention it paid to it. */
export interface Prediction {
  runId: string;
  /** The weights asked: the run's final model, else its best or latest checkpoint, after that epoch. */
  weights: { slot: 'final' | 'best' | 'latest'; epoch: number };
  /** Classification: every class (at most the 20 likeliest), likeliest first. */
  probabilities: ClassProbability[];
  /** Sequence labelling: each token's tag. */
  tags: TokenTag[];
  /** The attention over the example (its label is the right answer for a sample, '' for the user's own). */
  attention: AttentionEvent;
  /** How many rows each of the run's splits holds, so that a sample picker knows its range. */
  splits: { train: number; validation: number; test: number };
}
