import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { describeBackend, selectBackend } from '../engine/backend';
import { readUserFile } from '../engine/data/import/userFile';
import { DatasetLibrary } from '../engine/data/library/datasetLibrary';
import { exportToPytorch } from '../engine/pytorchExportJob';
import type { RunPlan } from '../shared/runPlan';
import { defaultDataDir } from '../main/defaultDataDir';
import { newRunId } from '../main/runs/recordRunEvent';
import { storedRunPlan } from '../main/runs/resumePlan';
import { RunStore } from '../main/runs/runStore';
import { terminalLines } from '../shared/controlCharacters';
import { hyperParamsSchema } from '../shared/hyperParams';
import { planRun } from '../shared/runPlan';
import { parseSpecText } from '../shared/architecture/parseSpecText';
import { findPreset, PRESETS } from '../shared/architecture/presets';
import { cliText } from './cliLanguage';
import { runCommand } from './runCommand';

const USAGE = cliText('cli.usage.export', { or: '|', presets: PRESETS.map((p) => p.id).join(', ') });

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
  console.error(cliText('cli.backend', { name: describeBackend(backend) }));

  let plan: RunPlan;
  if (record) {
    plan = storedRunPlan(record);
  } else {
    const task = spec?.task ?? preset!.task;
    const datasetId =
      values.dataset ?? (preset?.task === task ? preset : PRESETS.find((p) => p.task === task)!).defaultDatasetId;
    const summary = await datasets.summary(datasetId);
    if (!summary) throw new Error(`--dataset ${datasetId}: no such dataset`);
    const target = { datasetId, ...(preset ? { presetId: preset.id } : {}), ...(spec ? { spec } : {}) };
    plan = planRun(newRunId(), { ...target, hyperParams: hyperParamsSchema.parse({}) }, summary);
  }
  const out = resolve(values.out);
  const weights = record ? 'trained' : 'initial';
  const { files, source } = await exportToPytorch({ plan, weights, artifacts: runs.artifacts, datasets, outDir: out });
  process.stdout.write(terminalLines(`${cliText('cli.written', { files: files.join(', '), folder: out, source })}\n`));
  return 0;
}

runCommand(main);
