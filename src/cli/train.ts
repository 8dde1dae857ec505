import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { describeBackend, selectBackend } from '../engine/backend';
import { DatasetLibrary } from '../engine/data/library/datasetLibrary';
import { planRun, type RunPlan } from '../shared/runPlan';
import { claimResume } from '../main/runs/resumePlan';
import { importOptionsSchema, IMPORT_FORMATS } from '../shared/datasetImport';
import { tokenizerSettingsSchema, TOKENIZER_KINDS } from '../shared/tokenizerSettings';
import { runTraining } from '../engine/train/runTraining';
import { withReplicaCount } from '../main/training/replicaCount';
import { replicaLauncher } from '../main/training/launchReplicaWorker';
import { trainWithReplicas } from '../main/training/replicaRun';
import type { TrainEvent } from '../shared/events';
import { hyperParamsSchema } from '../shared/hyperParams';
import { parseSpecText } from '../shared/architecture/parseSpecText';
import { findPreset, PRESETS } from '../shared/architecture/presets';
import { defaultDataDir } from '../main/defaultDataDir';
import { toPlainJson } from '../shared/wireFormat';
import { RunRecorder, newRunId, queuedRecord } from '../main/runs/recordRunEvent';
import { RunStore } from '../main/runs/runStore';
import { EpochProgress } from './epochProgress';
import { importTrainedRun } from './importTrainedRun';
import { formatEvent } from './formatEvent';
import { formatRunList } from './listRuns';
import { RECIPE_OPTIONS, RECIPE_USAGE, recipeFromFlags } from './recipeFlags';
import { readUserFile } from '../engine/data/import/userFile';
import { terminalLines } from '../shared/controlCharacters';
import { cliText } from './cliLanguage';
import { runCommand } from './runCommand';

// Usage is human output too: its words come from the message files, its flags and lists from the code.
const USAGE = cliText('cli.usage.train', {
  or: '|',
  tokenizers: TOKENIZER_KINDS.join('|'),
  recipe: RECIPE_USAGE,
  formats: IMPORT_FORMATS.join(', '),
  presets: PRESETS.map((p) => p.id).join(', '),
});

/** A dataset id as given, or a file or folder imported for this run only (the app's dataset folder is untouched). */
async function chooseDataset(datasets: DatasetLibrary, given: string, format: string | undefined): Promise<string> {
  if (!existsSync(given)) {
    if (await datasets.summary(given)) return given;
    throw new Error(`--dataset ${given}: neither a dataset id nor an existing file or folder`);
  }
  const options = importOptionsSchema.safeParse({ format: format ?? 'auto' });
  if (!options.success) throw new Error(`--format ${format}: choose ${IMPORT_FORMATS.join(', ')}`);
  const summary = await datasets.import(resolve(given), options.data, {}, 'transient');
  console.error(
    terminalLines(
      cliText('cli.imported', { count: summary.examples, path: given, format: summary.importedFrom?.format ?? '' }) +
        (summary.notes?.length ? `: ${summary.notes.join('; ')}` : ''),
    ),
  );
  return summary.id;
}

/** A new run's plan from the command line: the preset or spec, the dataset, the recipe, the tokenizer. */
async function newPlan(
  values: Record<string, string | boolean | undefined>,
  datasets: DatasetLibrary,
): Promise<RunPlan> {
  const given = (flag: string) => (typeof values[flag] === 'string' ? (values[flag] as string) : undefined);
  const [presetId, specFile] = [given('preset'), given('spec')];
  const preset = presetId === undefined ? undefined : findPreset(presetId);
  if (presetId !== undefined && !preset) throw new Error(`unknown preset "${presetId}"\n${USAGE}`);
  const spec =
    specFile === undefined
      ? undefined
      : parseSpecText(
          new TextDecoder().decode(
            await readUserFile(specFile, {
              maxBytes: 8 * 1024 * 1024,
              limitName: 'the most an architecture file may hold',
            }),
          ),
          specFile,
        );
  const task = spec?.task ?? preset!.task;
  const defaultDataset =
    preset?.task === task ? preset.defaultDatasetId : PRESETS.find((p) => p.task === task)!.defaultDatasetId;
  const datasetId = await chooseDataset(datasets, given('dataset') ?? defaultDataset, given('format'));
  const target = { datasetId, ...(preset ? { presetId: preset.id } : {}), ...(spec ? { spec } : {}) };
  const summary = await datasets.summary(datasetId);
  const tokenizer =
    given('tokenizer') === undefined ? undefined : tokenizerSettingsSchema.shape.kind.safeParse(given('tokenizer'));
  if (tokenizer && !tokenizer.success)
    throw new Error(`--tokenizer ${given('tokenizer')}: choose ${TOKENIZER_KINDS.join(', ')}`);
  // The preset's own recipe, then every flag given over it.
  const parsed = hyperParamsSchema.safeParse({ ...preset?.recipe, ...recipeFromFlags(values) });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`invalid option ${String(issue.path[0])}: ${issue.message}`);
  }
  return planRun(
    newRunId(),
    {
      ...target,
      hyperParams: parsed.data,
      ...(tokenizer?.data ? { tokenizer: { kind: tokenizer.data, minFrequency: 1 } } : {}),
      ...(given('from-run') ? { initFromRun: given('from-run') } : {}),
    },
    summary,
  );
}

/** A resumed run's plan, on the number of replicas given (--replicas), else on those it was trained with. */
function resumeWith(plan: RunPlan, values: Record<string, string | boolean | undefined>): RunPlan {
  if (values['replicas'] === undefined) return plan;
  const replicas = hyperParamsSchema.shape.replicas.safeParse(
    recipeFromFlags({ replicas: values['replicas'] }).replicas,
  );
  if (!replicas.success)
    throw new Error(`--replicas ${String(values['replicas'])}: ${replicas.error.issues[0]!.message}`);
  return { ...plan, hyperParams: { ...plan.hyperParams, replicas: replicas.data } };
}

/** `npm run train`: the same engine and events as the app, headless. */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      preset: { type: 'string' },
      spec: { type: 'string' },
      dataset: { type: 'string' },
      format: { type: 'string' },
      tokenizer: { type: 'string' },
      ...RECIPE_OPTIONS,
      backend: { type: 'string' },
      export: { type: 'string' },
      json: { type: 'boolean', default: false },
      list: { type: 'boolean', default: false },
      resume: { type: 'string' },
      'from-run': { type: 'string' },
      'import-run': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  const dataDir = defaultDataDir();
  // Runs started here are stored with the app's, so that its Runs view lists them too.
  const runs = new RunStore(join(dataDir, 'runs'), { holder: 'cli' });
  if (values.list) {
    const { runs: listed, damaged } = await runs.scan();
    console.log(formatRunList(listed, damaged));
    return 0;
  }
  if (values['import-run']) return importTrainedRun(runs, values['import-run'], dataDir, values.backend);
  if (values.help || (!values.preset && !values.spec && !values.resume)) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const datasets = new DatasetLibrary({ cacheDir: join(dataDir, 'cache'), datasetsDir: join(dataDir, 'datasets') });
  // Before the backend loads, so that a wrong name, an invalid graph or a model/dataset mismatch is answered at once.
  // A resume takes the run's lock here (refused while the app or another command writes it) and holds it until
  // the run ends.
  const plan = values.resume
    ? resumeWith(await claimResume(runs, values.resume), values)
    : await newPlan(values, datasets);
  try {
    return await train(plan, values, runs, datasets);
  } finally {
    await runs.release(plan.runId);
  }
}

async function train(
  given: RunPlan,
  values: { backend?: string; json: boolean; export?: string },
  runs: RunStore,
  datasets: DatasetLibrary,
): Promise<number> {
  // tfjs prints advice on stdout; keep stdout for events so that --json output stays one JSON object per line.
  // Text for a person has its control characters made visible: names come from datasets and files.
  const print = (text: string) => process.stdout.write(values.json ? text : terminalLines(text));
  console.log = (...args: unknown[]) => console.error(...args);
  const backend = await selectBackend(values.backend ?? process.env['WORKBENCH_BACKEND']);
  let plan = withReplicaCount(given, backend.name);
  // Replica threads load the dataset themselves: one imported for this process only trains here, on one.
  if (plan.hyperParams.replicas > 1 && datasets.isTransient(plan.datasetId)) {
    if (!values.json) print(`${cliText('cli.replicasInMemory', { dataset: plan.datasetId })}\n`);
    plan = { ...plan, hyperParams: { ...plan.hyperParams, replicas: 1 } };
  }
  const replicas = plan.hyperParams.replicas;
  if (!values.json) print(`${cliText('cli.backend', { name: describeBackend(backend) })}\n`);
  if (!values.json && replicas > 1) print(`${cliText('cli.replicas', { count: replicas })}\n`);
  let interrupted = false;
  process.once('SIGINT', () => (interrupted = true));
  if (!plan.resume) await runs.create(queuedRecord(plan, new Date(), 'cli'));
  // A write the disk refuses (full, failing) stops the run like Ctrl-C; it ends failed, saying why.
  const recorder = new RunRecorder(runs, () => (interrupted = true));
  const recorded: Promise<TrainEvent>[] = [];
  const progress = values.json ? null : new EpochProgress();
  const emit = (event: TrainEvent) => {
    recorded.push(recorder.record(event));
    progress?.follow(event);
    const line = values.json ? toPlainJson(event) : formatEvent(event);
    if (line) print(`${line}\n`);
  };
  const hooks = { emit, stopRequested: () => interrupted };
  const finished =
    replicas > 1
      ? await trainWithReplicas({
          plan,
          replicas,
          launch: replicaLauncher(),
          shared: {
            backend: backend.name,
            ...datasets.folders,
            runsDir: runs.root,
            ...(values.export ? { exportDir: values.export } : {}),
          },
          ...hooks,
        }).then((outcome) => (emit(outcome), outcome))
      : await runTraining(
          {
            plan,
            backend,
            datasets,
            artifacts: runs.artifacts,
            ...(values.export ? { exportDir: values.export } : {}),
          },
          hooks,
        );
  progress?.stop();
  const outcome = (await Promise.all(recorded)).filter((event) => event.type === 'finished').pop() ?? finished;
  // A run stopped by a disk fault ends failed: say so after the worker's own last word.
  if (outcome !== finished) print(`${values.json ? toPlainJson(outcome) : formatEvent(outcome)}\n`);
  if (values.export && finished.status !== 'failed' && !values.json) print(`model written to ${values.export}\n`);
  if (!values.json) print(`run ${plan.runId} saved in ${join(runs.root, plan.runId)}\n`);
  return outcome.type === 'finished' && outcome.status === 'failed' ? 1 : 0;
}

runCommand(main);
