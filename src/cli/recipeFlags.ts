import type { HyperParamsInput } from '../shared/hyperParams';

type Kind = 'number' | 'text' | 'flag' | 'list';

/** The recipe's command-line flags and the hyper-parameter each sets; hyperParamsSchema checks the values. */
const FLAGS: Record<string, { field: keyof HyperParamsInput; kind: Kind }> = {
  epochs: { field: 'epochs', kind: 'number' },
  'batch-size': { field: 'batchSize', kind: 'number' },
  'learning-rate': { field: 'learningRate', kind: 'number' },
  optimizer: { field: 'optimizer', kind: 'text' },
  momentum: { field: 'momentum', kind: 'number' },
  nesterov: { field: 'nesterov', kind: 'flag' },
  'weight-decay': { field: 'weightDecay', kind: 'number' },
  schedule: { field: 'schedule', kind: 'text' },
  warmup: { field: 'warmupSteps', kind: 'number' },
  'step-epochs': { field: 'stepEpochs', kind: 'number' },
  'step-gamma': { field: 'stepGamma', kind: 'number' },
  'clip-norm': { field: 'clipNorm', kind: 'number' },
  'label-smoothing': { field: 'labelSmoothing', kind: 'number' },
  'augment-shift': { field: 'augmentShift', kind: 'number' },
  dropout: { field: 'dropout', kind: 'number' },
  patience: { field: 'earlyStoppingPatience', kind: 'number' },
  'stop-on': { field: 'earlyStoppingMetric', kind: 'text' },
  'min-delta': { field: 'earlyStoppingMinDelta', kind: 'number' },
  freeze: { field: 'freeze', kind: 'list' },
  'max-train': { field: 'maxTrainExamples', kind: 'number' },
  seed: { field: 'seed', kind: 'number' },
  replicas: { field: 'replicas', kind: 'number' },
};

/** parseArgs options for every recipe flag. */
export const RECIPE_OPTIONS = Object.fromEntries(
  Object.entries(FLAGS).map(([flag, { kind }]) => [
    flag,
    kind === 'flag' ? { type: 'boolean' as const } : { type: 'string' as const },
  ]),
);

export const RECIPE_USAGE = Object.keys(FLAGS)
  .map((flag) => `--${flag}${FLAGS[flag]!.kind === 'flag' ? '' : FLAGS[flag]!.kind === 'list' ? ' a,b' : ' X'}`)
  .join(' ');

/** The hyper-parameters the flags set; a value that is not a number where one is needed is named. */
export function recipeFromFlags(values: Record<string, string | boolean | undefined>): HyperParamsInput {
  const recipe: Record<string, unknown> = {};
  for (const [flag, { field, kind }] of Object.entries(FLAGS)) {
    const value = values[flag];
    if (value === undefined) continue;
    if (kind === 'number') {
      const number = Number(value);
      if (!Number.isFinite(number)) throw new Error(`--${flag} ${String(value)} is not a number`);
      recipe[field] = number;
    } else if (kind === 'list')
      recipe[field] = String(value)
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean);
    else recipe[field] = value;
  }
  return recipe as HyperParamsInput;
}
