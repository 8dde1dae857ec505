import { z } from 'zod';

/** The training recipe a user sets before pressing Train; every field has the default the app starts with. */
export const hyperParamsSchema = z
  .object({
    optimizer: z.enum(['adam', 'sgd']).default('adam'),
    learningRate: z.number().positive().max(10).default(1e-3),
    batchSize: z.number().int().min(1).max(4096).default(32),
    epochs: z.number().int().min(1).max(10_000).default(3),
    /** Decoupled weight decay (AdamW-style) applied to kernels and embeddings, not biases or norms. */
    weightDecay: z.number().min(0).max(1).default(0),
    dropout: z.number().min(0).max(0.9).default(0.1),
    validationFraction: z.number().min(0.01).max(0.5).default(0.15),
    testFraction: z.number().min(0).max(0.5).default(0.1),
    /** Use the files' own train/test split when the dataset has one (MNIST, CIFAR-10); testFraction is then unused. */
    useFileSplit: z.boolean().default(true),
    /** Epochs without a better validation loss before training stops; 0 turns early stopping off. */
    earlyStoppingPatience: z.number().int().min(0).max(1000).default(0),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(42),
    /** Caps the training examples per epoch, for a quick look at a large dataset; 0 means all. */
    maxTrainExamples: z.number().int().min(0).default(0),
  })
  .strict();

export type HyperParams = z.infer<typeof hyperParamsSchema>;
export type HyperParamsInput = z.input<typeof hyperParamsSchema>;
