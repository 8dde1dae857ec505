import { z } from 'zod';

/**
 * How text becomes tokens. 'word' cuts at whitespace and punctuation; 'char' keeps every character (the right
 * choice for Chinese, Japanese and strings like dates); 'bpe' and 'wordpiece' learn a subword vocabulary on the
 * training split only.
 */
export const TOKENIZER_KINDS = ['word', 'char', 'bpe', 'wordpiece'] as const;
export type TokenizerKind = (typeof TOKENIZER_KINDS)[number];

export const tokenizerSettingsSchema = z
  .object({
    kind: z.enum(TOKENIZER_KINDS),
    /** The largest vocabulary, reserved tokens included; the model's token input decides when absent. */
    vocabSize: z.number().int().min(8).max(500_000).optional(),
    /** A token seen fewer times in the training split is unknown. Defaults to 1. */
    minFrequency: z.number().int().min(1).max(1_000_000).default(1),
  })
  .strict();

export type TokenizerSettings = z.infer<typeof tokenizerSettingsSchema>;
export type TokenizerSettingsInput = z.input<typeof tokenizerSettingsSchema>;
