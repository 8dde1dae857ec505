import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultDataDir } from '../src/main/defaultDataDir';

/**
 * The accuracy each preset reaches from its own default recipe (what a user gets by choosing it and pressing Train),
 * trained through the CLI as a user would, with the figure its kind is known to reach beside it. Prints; asserts
 * nothing. The ViT's object-in-clutter line also trains its fully connected baseline of as many weights.
 */
interface Target {
  preset?: string;
  spec?: string;
  dataset: string;
  metric: 'test accuracy' | 'exact match' | 'entity F1';
  goal: number;
  flags?: string[];
}

const TARGETS: Target[] = [
  { preset: 'vit-image', dataset: 'mnist-digits', metric: 'test accuracy', goal: 0.97 },
  {
    preset: 'vit-image',
    dataset: 'object-in-clutter',
    metric: 'test accuracy',
    goal: 0.95,
    flags: ['--augment-shift', '4', '--epochs', '60'],
  },
  { preset: 'conv-attention-image', dataset: 'mnist-digits', metric: 'test accuracy', goal: 0.985 },
  { preset: 'transformer-text', dataset: 'spam-assassin', metric: 'test accuracy', goal: 0.98 },
  { preset: 'cnn-lstm-text', dataset: 'spam-assassin', metric: 'test accuracy', goal: 0.98 },
  { preset: 'transformer-tagger', dataset: 'entity-tagging', metric: 'entity F1', goal: 0.97 },
  { preset: 'transformer-seq2seq', dataset: 'date-formats', metric: 'exact match', goal: 0.99 },
  { preset: 'transformer-seq2seq', dataset: 'sequence-reversal', metric: 'exact match', goal: 1 },
];

/** One training run through the CLI (--json), its run id, epochs, test figures and wall time. */
async function train(target: Target) {
  const started = Date.now();
  const args = [
    '--import',
    'tsx',
    'src/cli/train.ts',
    ...(target.preset ? ['--preset', target.preset] : ['--spec', target.spec!]),
    '--dataset',
    target.dataset,
    '--json',
    ...(target.flags ?? []),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  await new Promise((resolve) => child.on('close', resolve));
  const events = text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const runId = events.find((e) => e['type'] === 'started')?.['runId'] as string;
  const finished = events.find((e) => e['type'] === 'finished') as
    { epochs: number; test?: { accuracy: number; exactMatch?: number } } | undefined;
  const evaluation = JSON.parse(
    await readFile(join(defaultDataDir(), 'runs', runId, 'evaluation.json'), 'utf8').catch(() => '{}'),
  ) as { entities?: { f1: number } };
  return { runId, finished, evaluation, minutes: (Date.now() - started) / 60_000 };
}

export async function accuracyTargets(presetIds: string[]): Promise<void> {
  console.log('\naccuracy from each preset’s default recipe (wasm, every core; test split):');
  for (const target of TARGETS.filter((t) => presetIds.length === 0 || presetIds.includes(t.preset ?? ''))) {
    const { runId, finished, evaluation, minutes } = await train(target);
    const figure =
      target.metric === 'entity F1'
        ? evaluation.entities?.f1
        : target.metric === 'exact match'
          ? finished?.test?.exactMatch
          : finished?.test?.accuracy;
    const shown = figure === undefined ? 'no figure' : `${(figure * 100).toFixed(1)}%`;
    console.log(
      `  ${target.preset} on ${target.dataset}${target.flags ? ` (${target.flags.join(' ')})` : ''}: ${target.metric} ${shown} after ${finished?.epochs ?? '?'} epochs, ${minutes.toFixed(1)} min (goal ${(target.goal * 100).toFixed(1)}%${figure !== undefined && figure >= target.goal ? ', reached' : ''}); run ${runId}`,
    );
  }
}
