import { z } from 'zod';
import { hyperParamsSchema } from '../hyperParams';
import { modelSpecSchema } from '../architecture/modelSpec';
import { tokenizerSettingsSchema } from '../tokenizerSettings';

/**
 * workbench.json in a PyTorch export folder: what the workbench needs to take a run trained there back (the spec,
 * dataset, recipe and tokenizer it was exported with, and the weights' names and shapes in the model's order).
 */
export const exportManifestSchema = z.object({
  format: z.literal(1),
  spec: modelSpecSchema,
  datasetId: z.string().min(1).max(200),
  presetId: z.string().min(1).max(200).nullable(),
  tokenizer: tokenizerSettingsSchema.optional(),
  hyperParams: hyperParamsSchema,
  weights: z
    .array(
      z.object({
        name: z.string().min(1).max(1000),
        shape: z
          .array(
            z
              .number()
              .int()
              .min(0)
              .max(2 ** 31),
          )
          .max(8),
      }),
    )
    .max(100_000),
});
export type ExportManifest = z.infer<typeof exportManifestSchema>;
