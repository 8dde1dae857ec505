import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { describeBackend, selectBackend } from '../engine/backend';
import { resolveTrainingTarget } from '../engine/data/resolveTrainingTarget';
import { runTraining } from '../engine/train/runTraining';
import type { TrainEvent } from '../shared/events';
import { hyperParamsSchema } from '../shared/hyperParams';
import { findPreset, PRESETS } from '../shared/spec/presets';
import { defaultDataDir } from '../main/defaultDataDir';
import { toPlainJson } from '../shared/wireFormat';
import { formatEvent } from './formatEvent';

const USAGE = `usage: npm run train -- --preset <id> [--dataset <id>] [--epochs N] [--batch-size N] [--learning-rate X]
                     [--optimizer adam|sgd] [--max-train N] [--backend name] [--export dir] [--json]
presets: ${PRESETS.map((p) => p.id).join(', ')}`;

/** `npm run train`: the same engine and events as the app, headless. */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      preset: { type: 'string' },
      dataset: { type: 'string' },
      epochs: { type: 'string' },
      'batch-size': { type: 'string' },
      'learning-rate': { type: 'string' },
      optimizer: { type: 'string' },
      'max-train': { type: 'string' },
      backend: { type: 'string' },
      export: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.preset) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const preset = findPreset(values.preset);
  if (!preset) throw new Error(`unknown preset "${values.preset}"\n${USAGE}`);
  const datasetId = values.dataset ?? preset.defaultDatasetId;
  // Before the backend loads, so that a wrong name or a preset/dataset mismatch is answered at once.
  resolveTrainingTarget(preset.id, datasetId);
  const number = (flag: string, text: string | undefined) => {
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!Number.isFinite(value)) throw new Error(`--${flag} ${text} is not a number`);
    return value;
  };
  const parsed = hyperParamsSchema.safeParse({
    epochs: number('epochs', values.epochs),
    batchSize: number('batch-size', values['batch-size']),
    learningRate: number('learning-rate', values['learning-rate']),
    optimizer: values.optimizer,
    maxTrainExamples: number('max-train', values['max-train']),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`invalid option ${String(issue.path[0])}: ${issue.message}`);
  }

  // tfjs prints advice on stdout; keep stdout for events so that --json output stays one JSON object per line.
  const print = process.stdout.write.bind(process.stdout);
  console.log = (...args: unknown[]) => console.error(...args);
  const backend = await selectBackend(values.backend ?? process.env['WORKBENCH_BACKEND']);
  if (!values.json) print(`backend: ${describeBackend(backend)}\n`);
  let interrupted = false;
  process.once('SIGINT', () => (interrupted = true));
  const emit = (event: TrainEvent) => {
    const line = values.json ? toPlainJson(event) : formatEvent(event);
    if (line) print(`${line}\n`);
  };
  const finished = await runTraining(
    {
      runId: `cli-${Date.now()}`,
      request: { datasetId, presetId: preset.id, hyperParams: parsed.data },
      backend,
      cacheDir: join(defaultDataDir(), 'cache'),
      ...(values.export ? { exportDir: values.export } : {}),
    },
    { emit, stopRequested: () => interrupted },
  );
  if (values.export && finished.status !== 'failed' && !values.json) print(`model written to ${values.export}\n`);
  return finished.status === 'failed' ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  },
);
