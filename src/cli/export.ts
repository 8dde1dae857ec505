import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { describeBackend, selectBackend } from '../engine/backend';
import { readUserFile } from '../engine/data/import/userFile';
import { DatasetLibrary } from '../engine/data/library/datasetLibrary';
import { loadTrainedRun } from '../engine/inference/trainedRun';
import { buildModel } from '../engine/models/buildModel';
import { withSeededInitialization } from '../engine/models/seededInitialization';
import { prepareRunData } from '../engine/train/runTraining';
import { encodedSplits } from '../engine/io/encodedSplits';
import type { PreparedDataset } from '../engine/data/preparedDataset';
import type { RunPlan } from '../shared/runPlan';
import { writePytorchExport } from '../export/pytorch/writeExport';
import type { NamedTensor } from '../export/safetensors';
import { defaultDataDir } from '../main/defaultDataDir';
import { newRunId } from '../main/runs/recordRunEvent';
import { storedRunPlan } from '../main/runs/resumePlan';
import { RunStore } from '../main/runs/runStore';
import { terminalLines } from '../shared/controlCharacters';
import { hyperParamsSchema } from '../shared/hyperParams';
import { planRun } from '../shared/runPlan';
import { parseSpecText } from '../shared/spec/parseSpecText';
import { findPreset, PRESETS } from '../shared/spec/presets';

const USAGE = `usage: npm run export -- --format pytorch --run <run id> --out <dir>
       npm run export -- --format pytorch (--preset <id> | --spec <file.json>) [--dataset <id>] --out <dir>
A run exports its trained weights (final, else best, else latest); a preset or spec its initial weights, sized to
the dataset's vocabulary and classes. The folder holds model.py, weights.safetensors, train.py with the recipe
and the encoded split (data/), and a README with the commands.
presets: ${PRESETS.map((p) => p.id).join(', ')}`;

/** What train.py needs of a run: its recipe and its split, encoded as the model reads it. */
const trainingOf = (plan: RunPlan, data: PreparedDataset) => ({
  recipe: plan.hyperParams,
  datasetId: plan.datasetId,
  presetId: plan.presetId,
  ...(plan.tokenizer ? { tokenizerSettings: plan.tokenizer } : {}),
  splits: encodedSplits(data, plan.spec),
  classNames: data.classNames,
  vocabularies: data.exportInfo.vocabularies,
  ...(data.exportInfo.tokenizer ? { tokenizer: data.exportInfo.tokenizer } : {}),
});

/** The model's weights under the workbench's names, as float32 arrays. */
const namedWeights = (model: LayersModel): NamedTensor[] =>
  model.weights.map((weight) => ({
    name: weight.originalName,
    dtype: 'F32',
    shape: weight.shape as number[],
    data: Float32Array.from(weight.read().dataSync()),
  }));

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      format: { type: 'string' },
      run: { type: 'string' },
      preset: { type: 'string' },
      spec: { type: 'string' },
      dataset: { type: 'string' },
      out: { type: 'string' },
      backend: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  const sources = [values.run, values.preset, values.spec].filter((v) => v !== undefined);
  if (values.help || !values.out || sources.length !== 1) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  if (values.format !== 'pytorch') throw new Error(`--format ${values.format ?? '(none)'}: the one format is pytorch`);
  const dataDir = defaultDataDir();
  const runs = new RunStore(join(dataDir, 'runs'), { holder: 'cli' });
  const datasets = new DatasetLibrary({ cacheDir: join(dataDir, 'cache'), datasetsDir: join(dataDir, 'datasets') });
  // Checked before the backend loads: a wrong run id, preset or file is answered at once.
  const record = values.run ? await runs.record(values.run) : null;
  const preset = values.preset === undefined ? undefined : findPreset(values.preset);
  if (values.preset !== undefined && !preset) throw new Error(`unknown preset "${values.preset}"\n${USAGE}`);
  const spec = values.spec
    ? parseSpecText(
        new TextDecoder().decode(
          await readUserFile(values.spec, {
            maxBytes: 8 * 1024 * 1024,
            limitName: 'the most an architecture file may hold',
          }),
        ),
        values.spec,
      )
    : undefined;
  console.log = (...args: unknown[]) => console.error(...args);
  const backend = await selectBackend(values.backend ?? process.env['WORKBENCH_BACKEND']);
  console.error(`backend: ${describeBackend(backend)}`);

  let exported;
  if (record) {
    const run = await loadTrainedRun(storedRunPlan(record), runs.artifacts, datasets);
    exported = {
      spec: record.spec,
      binding: {
        vocabSizes: run.data.vocabSizes,
        classes: run.data.classNames.length,
        dropout: record.hyperParams.dropout,
      },
      weights: namedWeights(run.model),
      source: `run ${record.id}, its ${run.weights.slot} weights after epoch ${run.weights.epoch}`,
      training: trainingOf(run.plan, run.data),
    };
    run.dispose();
  } else {
    const task = spec?.task ?? preset!.task;
    const datasetId =
      values.dataset ?? (preset?.task === task ? preset : PRESETS.find((p) => p.task === task)!).defaultDatasetId;
    const summary = await datasets.summary(datasetId);
    if (!summary) throw new Error(`--dataset ${datasetId}: no such dataset`);
    const plan = planRun(
      newRunId(),
      {
        datasetId,
        ...(preset ? { presetId: preset.id } : {}),
        ...(spec ? { spec } : {}),
        hyperParams: hyperParamsSchema.parse({}),
      },
      summary,
    );
    const data = await prepareRunData(plan, datasets);
    const binding = { vocabSizes: data.vocabSizes, classes: data.classNames.length, dropout: plan.hyperParams.dropout };
    const { model } = withSeededInitialization(plan.hyperParams.seed, () => buildModel(plan.spec, binding));
    exported = {
      spec: plan.spec,
      binding,
      weights: namedWeights(model),
      source: `initial weights (seed ${plan.hyperParams.seed}), not trained`,
      training: trainingOf(plan, data),
    };
    model.dispose();
  }
  const out = resolve(values.out);
  const files = await writePytorchExport(out, exported);
  process.stdout.write(terminalLines(`${files.join(', ')} written to ${out} (${exported.source})\n`));
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(terminalLines(error instanceof Error ? error.message : String(error)));
    process.exit(2);
  },
);
