import { resolve } from 'node:path';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { statSync } from 'node:fs';
import { DatasetLibrary } from '../engine/data/library/datasetLibrary';
import { buildInspectionContext, inspectDataset } from '../engine/data/inspection/inspectDataset';
import { defaultDataDir } from '../main/defaultDataDir';
import { importOptionsSchema, IMPORT_FORMATS } from '../shared/datasetImport';
import { hyperParamsSchema } from '../shared/hyperParams';
import { terminalLines } from '../shared/controlCharacters';
import { cliText } from './cliLanguage';
import { ImportProgressBar } from './importProgress';
import { runCommand } from './runCommand';

const USAGE = cliText('cli.usage.import', { formats: IMPORT_FORMATS.join(', ') });

/** "64x64" or "64" to [height, width]. */
function parseSize(text: string): [number, number] {
  const match = /^(\d{1,4})(?:x(\d{1,4}))?$/.exec(text);
  if (!match) throw new Error(`--size ${text}: write it as HEIGHTxWIDTH, e.g. 64x64`);
  return [Number(match[1]), Number(match[2] ?? match[1])];
}

/**
 * `npm run import -- <path>`: imports a file or folder into the workbench's datasets (the data folder the browser
 * host and the CLI share) and reports what the app would show of it: its id, its classes across the default split,
 * how long it took, how fast it decoded and the most memory the process held.
 */
async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'auto' },
      size: { type: 'string' },
      channels: { type: 'string' },
      name: { type: 'string' },
      workers: { type: 'string' },
      'max-tokens': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || positionals.length !== 1) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const [height, width] = values.size ? parseSize(values.size) : [undefined, undefined];
  const parsed = importOptionsSchema.safeParse({
    format: values.format,
    ...(values.name ? { name: values.name } : {}),
    ...(height ? { imageHeight: height, imageWidth: width } : {}),
    ...(values.channels ? { channels: Number(values.channels) } : {}),
    ...(values['max-tokens'] ? { maxTokens: Number(values['max-tokens']) } : {}),
  });
  if (!parsed.success)
    throw new Error(parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('; ') + `\n${USAGE}`);
  const workers = values.workers === undefined ? undefined : Number(values.workers);
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1 && workers <= 256))
    throw new Error(`--workers ${values.workers}: a whole number from 1 to 256`);
  const dataDir = defaultDataDir();
  const library = new DatasetLibrary({
    cacheDir: join(dataDir, 'cache'),
    datasetsDir: join(dataDir, 'datasets'),
    // The report needs the labels only: a sharded set stays on disk rather than load its pixels to count them.
    inMemoryBytes: 0,
    ...(workers ? { decodePool: { workers }, tokenizePool: { workers } } : {}),
  });
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const bar = new ImportProgressBar();
  const started = performance.now();
  let summary;
  try {
    summary = await library.import(resolve(positionals[0]!), parsed.data, {
      signal: controller.signal,
      onProgress: (progress) => bar.update(progress),
    });
  } finally {
    bar.stop();
  }
  const seconds = (performance.now() - started) / 1000;
  // The import's peak resident memory, taken before the report below reads the set back: this process's (its threads'
  // included) and, for images, its decode processes' added.
  const importPeakBytes = process.resourceUsage().maxRSS * 1024 + (summary.decoding?.peakMemoryBytes ?? 0);
  const data = await library.load(summary.id);
  const defaults = hyperParamsSchema.parse({});
  const inspection = inspectDataset(
    buildInspectionContext(summary, data, { ...defaults, useFileSplit: true }, undefined),
  );
  const lines = [cliText('cli.importedId', { id: summary.id, name: summary.name, count: summary.examples })];
  if (inspection.classCounts) {
    const { names, counts } = inspection.classCounts;
    lines.push(cliText('cli.importSplitHeader'));
    for (const [i, name] of names.entries())
      lines.push(`  ${name}: ${counts.train[i]} / ${counts.validation[i]} / ${counts.test[i]}`);
  }
  lines.push(cliText('cli.importSplit', inspection.split));
  const { decoding, streamed } = summary;
  const peak = (importPeakBytes / 1e6).toFixed(0);
  lines.push(
    decoding
      ? cliText('cli.importTime', {
          seconds: seconds.toFixed(1),
          rate: (decoding.images / seconds).toFixed(0),
          peak,
          processes: decoding.processes,
          decoder: decoding.decoder,
        })
      : streamed
        ? cliText('cli.importTimeTexts', {
            seconds: seconds.toFixed(1),
            rate: (streamed.texts / seconds).toFixed(0),
            megabytes: (statSync(positionals[0]!).size / 1e6 / seconds).toFixed(1),
            peak,
          })
        : cliText('cli.importTimeExamples', {
            seconds: seconds.toFixed(1),
            rate: (summary.examples / seconds).toFixed(0),
            peak,
            format: summary.importedFrom?.format ?? '',
          }),
  );
  for (const note of summary.notes ?? []) lines.push(cliText('cli.note', { notice: note }));
  console.log(terminalLines(lines.join('\n')));
  return 0;
}

runCommand(main);
