import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { selectBackend } from '../src/engine/backend';
import { DatasetLibrary } from '../src/engine/data/library/datasetLibrary';
import { predictExample } from '../src/engine/inference/predictExample';
import { loadTrainedRun } from '../src/engine/inference/trainedRun';
import { defaultDataDir } from '../src/main/defaultDataDir';
import { storedRunPlan } from '../src/main/runs/resumePlan';
import { RunStore } from '../src/main/runs/runStore';
import { crossAlignment } from '../src/shared/crossAlignment';

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
  /** Sequence reversal: also the share of output positions whose cross-attention peaks on the mirrored source. */
  mirrored?: boolean;
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
  { preset: 'transformer-seq2seq', dataset: 'sequence-reversal', metric: 'exact match', goal: 1, mirrored: true },
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

/**
 * Of the first `rows` test rows, the output positions i whose last cross-attention (heads averaged, as the playground
 * draws the alignment) peaks on source position n - 1 - i, counted where the output is as long as the source.
 */
export async function mirroredShare(runId: string, rows = 100): Promise<{ mirrored: number; positions: number }> {
  await selectBackend(process.env['WORKBENCH_BACKEND']);
  const dataDir = defaultDataDir();
  const store = new RunStore(join(dataDir, 'runs'), { holder: 'cli' });
  const datasets = new DatasetLibrary({ cacheDir: join(dataDir, 'cache'), datasetsDir: join(dataDir, 'datasets') });
  const run = await loadTrainedRun(storedRunPlan(await store.record(runId)), store.artifacts, datasets);
  const counts = { mirrored: 0, positions: 0 };
  for (let row = 0; row < Math.min(rows, run.data.counts.test); row++) {
    const { attention } = await predictExample(run, { kind: 'sample', split: 'test', row }, 1, 0);
    const alignment = crossAlignment(attention.layers, attention.tokens);
    const n = attention.tokens.length;
    if (!alignment) continue;
    for (let i = 0; i < Math.min(n, alignment.aligned.length); i++) {
      if (alignment.aligned[i] === n - 1 - i) counts.mirrored++;
      counts.positions++;
    }
  }
  run.dispose();
  return counts;
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
    if (target.mirrored) {
      const { mirrored, positions } = await mirroredShare(runId);
      console.log(`  cross-attention on the mirrored position: ${mirrored}/${positions} output positions (goal 95%)`);
    }
    console.log(
      `  ${target.preset} on ${target.dataset}${target.flags ? ` (${target.flags.join(' ')})` : ''}: ${target.metric} ${shown} after ${finished?.epochs ?? '?'} epochs, ${minutes.toFixed(1)} min (goal ${(target.goal * 100).toFixed(1)}%${figure !== undefined && figure >= target.goal ? ', reached' : ''}); run ${runId}`,
    );
  }
}
