import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { describeBackend, selectBackend } from '../engine/backend';
import { decodeImage } from '../engine/data/import/decodeImage';
import { readUserFile } from '../engine/data/import/userFile';
import { DatasetLibrary } from '../engine/data/library/datasetLibrary';
import { predictExample } from '../engine/inference/predictExample';
import { loadTrainedRun } from '../engine/inference/trainedRun';
import { defaultDataDir } from '../main/defaultDataDir';
import { storedRunPlan } from '../main/runs/resumePlan';
import { RunStore } from '../main/runs/runStore';
import { DEFAULT_LENGTH_PENALTY, MAX_BEAM_WIDTH, MAX_LENGTH_PENALTY, type DecodedExample } from '../shared/prediction';
import { toPlainJson } from '../shared/wireFormat';
import { formatPrediction } from './formatPrediction';
import { terminalLines } from '../shared/controlCharacters';
import { cliText } from './cliLanguage';
import { runCommand } from './runCommand';

const USAGE = cliText('cli.usage.predict', { image: 'picture.png|.jpg' });

const SPLITS = ['train', 'validation', 'test'] as const;

async function exampleFrom(values: { input?: string; image?: string; sample?: string }): Promise<DecodedExample> {
  const given = [values.input, values.image, values.sample].filter((v) => v !== undefined);
  if (given.length !== 1) throw new Error(`give one of --input, --image or --sample\n${USAGE}`);
  if (values.input !== undefined) {
    if (values.input.trim() === '') throw new Error('--input is empty');
    return { kind: 'text', text: values.input };
  }
  if (values.image !== undefined) {
    const bytes = await readUserFile(values.image, { maxBytes: 64 * 1024 * 1024, limitName: 'the largest image' });
    let image;
    try {
      image = decodeImage(bytes);
    } catch (error) {
      throw new Error(`--image ${values.image}: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
    return { kind: 'image', width: image.width, height: image.height, rgba: image.data };
  }
  const match = /^(train|validation|test):(\d+)$/.exec(values.sample!);
  if (!match) throw new Error(`--sample ${values.sample}: write split:row, the split one of ${SPLITS.join(', ')}`);
  return { kind: 'sample', split: match[1] as (typeof SPLITS)[number], row: Number(match[2]) };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      run: { type: 'string' },
      input: { type: 'string' },
      image: { type: 'string' },
      sample: { type: 'string' },
      beam: { type: 'string', default: '4' },
      'length-penalty': { type: 'string', default: String(DEFAULT_LENGTH_PENALTY) },
      backend: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.run) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const beamWidth = Number(values.beam);
  if (!Number.isInteger(beamWidth) || beamWidth < 1 || beamWidth > MAX_BEAM_WIDTH)
    throw new Error(`--beam ${values.beam}: a whole number from 1 to ${MAX_BEAM_WIDTH}`);
  const lengthPenalty = Number(values['length-penalty']);
  if (!(lengthPenalty >= 0 && lengthPenalty <= MAX_LENGTH_PENALTY))
    throw new Error(`--length-penalty ${values['length-penalty']}: a number from 0 to ${MAX_LENGTH_PENALTY}`);
  const dataDir = defaultDataDir();
  const runs = new RunStore(join(dataDir, 'runs'), { holder: 'cli' });
  // Checked before the backend loads: a wrong run id or input is answered at once.
  const record = await runs.record(values.run);
  const example = await exampleFrom(values);
  // tfjs prints advice on stdout; keep stdout for the answer, so that --json output is one JSON object.
  const print = process.stdout.write.bind(process.stdout);
  console.log = (...args: unknown[]) => console.error(...args);
  const backend = await selectBackend(values.backend ?? process.env['WORKBENCH_BACKEND']);
  if (!values.json) console.error(cliText('cli.backend', { name: describeBackend(backend) }));
  const datasets = new DatasetLibrary({ cacheDir: join(dataDir, 'cache'), datasetsDir: join(dataDir, 'datasets') });
  const run = await loadTrainedRun(storedRunPlan(record), runs.artifacts, datasets);
  const prediction = await predictExample(run, example, beamWidth, lengthPenalty);
  run.dispose();
  // Labels and tokens come from datasets: a person's terminal gets their control characters made visible.
  print(`${values.json ? toPlainJson(prediction) : terminalLines(formatPrediction(prediction, record.spec.name))}\n`);
  return 0;
}

runCommand(main);
