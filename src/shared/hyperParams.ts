import { z } from 'zod';

/** The choices of the recipe's enumerated fields, listed for the forms that offer them. */
export const OPTIMIZERS = ['adam', 'adamw', 'sgd', 'rmsprop'] as const;
export const SCHEDULES = ['constant', 'step', 'cosine', 'inverse-sqrt'] as const;
export const EARLY_STOPPING_METRICS = ['val-loss', 'val-accuracy'] as const;

/** The training recipe a user sets before pressing Train; every field has the default the app starts with. */
export const hyperParamsSchema = z
  .object({
    /** Adam; AdamW (Adam with decoupled weight decay, 0.01 unless set); SGD with momentum; RMSprop. */
    optimizer: z.enum(OPTIMIZERS).default('adam'),
    /** The peak learning rate: what the schedule starts from (after its warm-up) and scales. */
    learningRate: z.number().positive().max(10).default(1e-3),
    /** SGD's and RMSprop's momentum; 0 is plain SGD. */
    momentum: z.number().min(0).max(0.999).default(0.9),
    /** Nesterov's look-ahead momentum for SGD. */
    nesterov: z.boolean().default(false),
    /**
     * How the learning rate changes over the run: constant; step (times stepGamma every stepEpochs epochs); cosine
     * (down to 0 at the last step); inverse-sqrt (Vaswani et al. 2017: up for warmupSteps, then as 1/sqrt(step)).
     * Every schedule but inverse-sqrt starts with a linear warm-up of warmupSteps when set.
     */
    schedule: z.enum(SCHEDULES).default('constant'),
    warmupSteps: z.number().int().min(0).max(1_000_000).default(0),
    stepEpochs: z.number().int().min(1).max(10_000).default(10),
    stepGamma: z.number().positive().max(1).default(0.1),
    /** Gradients are scaled down to this global L2 norm when longer; 0 leaves them as they are. */
    clipNorm: z.number().min(0).max(1e6).default(0),
    /** Share of each target's probability spread over the other classes (Szegedy et al. 2016); 0 is none. */
    labelSmoothing: z.number().min(0).max(0.5).default(0),
    /**
     * Image tasks: each training image shifted by up to this many pixels along each axis (the space it leaves is 0),
     * a new shift per image and step drawn from the run's seed and the step; validation and test images never move.
     * What a Vision Transformer, without a convolution's built-in tolerance to position, needs on small datasets.
     */
    augmentShift: z.number().int().min(0).max(16).default(0),
    batchSize: z.number().int().min(1).max(4096).default(32),
    epochs: z.number().int().min(1).max(10_000).default(3),
    /** Decoupled weight decay (AdamW-style) applied to kernels and embeddings, not biases or norms. */
    weightDecay: z.number().min(0).max(1).default(0),
    dropout: z.number().min(0).max(0.9).default(0.1),
    validationFraction: z.number().min(0.01).max(0.5).default(0.15),
    testFraction: z.number().min(0).max(0.5).default(0.1),
    /** Use the files' own train/test split when the dataset has one (MNIST, CIFAR-10); testFraction is then unused. */
    useFileSplit: z.boolean().default(true),
    /** Epochs without a better validation figure before training stops; 0 turns early stopping off. */
    earlyStoppingPatience: z.number().int().min(0).max(1000).default(0),
    /** What early stopping watches: the validation loss (lower is better) or accuracy (higher is better). */
    earlyStoppingMetric: z.enum(EARLY_STOPPING_METRICS).default('val-loss'),
    /** How much better an epoch must be to count as better. */
    earlyStoppingMinDelta: z.number().min(0).max(1e3).default(0),
    /** With early stopping: put back the weights of the best epoch when the run ends. */
    restoreBest: z.boolean().default(true),
    /** Blocks (node ids of the spec) whose weights stay as they are: fine-tuning what is above them. */
    freeze: z.array(z.string().min(1).max(64)).max(2000).default([]),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(42),
    /** Write a checkpoint (weights and optimizer state) every this many epochs; 0 writes none. */
    checkpointEvery: z.number().int().min(0).max(10_000).default(1),
    /** Caps the training examples per epoch, for a quick look at a large dataset; 0 means all. */
    maxTrainExamples: z.number().int().min(0).default(0),
    /**
     * Data-parallel replicas, each in its own thread on its share of every batch, gradients averaged each step
     * (src/engine/parallel). 0 is one per core of the machine that trains (main resolves it when the run is
     * planned, so run.json holds the number used); 1 is a single thread.
     */
    replicas: z.number().int().min(0).max(64).default(0),
  })
  .strict();

export type HyperParams = z.infer<typeof hyperParamsSchema>;
export type HyperParamsInput = z.input<typeof hyperParamsSchema>;
