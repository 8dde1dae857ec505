import { z } from 'zod';
import { tokenizerSettingsSchema, type TokenizerKind } from './tokenizerSettings';
import { inputSpecSchema, type Task } from './architecture/modelSpec';

export const SPLIT_NAMES = ['train', 'validation', 'test'] as const;
export type SplitName = (typeof SPLIT_NAMES)[number];

const datasetId = z.string().min(1).max(200);

/** The settings that decide what training will see: the split, the tokenizer, and the model's lengths. */
export const inspectRequestSchema = z
  .object({
    datasetId,
    /** The model's inputs: its token inputs give the max lengths and default vocabulary sizes. */
    modelInputs: z.array(inputSpecSchema).max(8).optional(),
    tokenizer: tokenizerSettingsSchema.optional(),
    validationFraction: z.number().min(0.01).max(0.5).default(0.15),
    testFraction: z.number().min(0).max(0.5).default(0.1),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(42),
    useFileSplit: z.boolean().default(true),
  })
  .strict();
export type InspectRequest = z.input<typeof inspectRequestSchema>;

export const samplesRequestSchema = inspectRequestSchema
  .extend({
    split: z.enum(SPLIT_NAMES).default('train'),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(200).default(24),
  })
  .strict();
export type SamplesRequest = z.input<typeof samplesRequestSchema>;

/** Example lengths in tokens, binned, with the model's max length (longer examples are cut there). */
export interface LengthHistogram {
  name: string;
  binWidth: number;
  counts: number[];
  maxLength: number | null;
  mean: number;
  longest: number;
  /** Share of examples longer than maxLength. */
  truncated: number;
}

export interface DatasetInspection {
  datasetId: string;
  task: Task;
  examples: number;
  split: Record<SplitName, number> & { source: 'ratio' | 'files' };
  /** Classes (or tags, counted per token) and how many of each every split holds. */
  classCounts: { names: string[]; counts: Record<SplitName, number[]> } | null;
  image: { height: number; width: number; channels: number; meanPixel: number[] } | null;
  text: {
    tokenizer: TokenizerKind;
    /** Per token input: its vocabulary size and the share of tokens (outside the training split) it knows. */
    vocabularies: { name: string; size: number; coverage: number }[];
    lengths: LengthHistogram[];
  } | null;
}

/** One token as the model sees it. */
export interface SampleToken {
  text: string;
  unknown: boolean;
}

export interface DatasetSample {
  index: number;
  label?: string;
  /** Images: base64 of the uint8 pixels, row-major HxWxC. */
  pixels?: string;
  /** Text: each field (text, or source and target) with its tokens (up to the max length). */
  fields?: { name: string; text: string; tokens: SampleToken[] }[];
  /** Tagging: one tag per token of the first field. */
  tags?: string[];
}

export interface DatasetSamples {
  split: SplitName;
  offset: number;
  total: number;
  samples: DatasetSample[];
}
