import { join, resolve } from 'node:path';
import { describeBackend, selectBackend } from '../engine/backend';
import { DatasetLibrary } from '../engine/data/library/datasetLibrary';
import { importedRunReport } from '../engine/inference/importedRunReport';
import { importRun } from '../main/runs/importRun';
import { storedRunPlan } from '../main/runs/resumePlan';
import type { RunStore } from '../main/runs/runStore';
import { terminalLines } from '../shared/controlCharacters';
import { cliText } from './cliLanguage';

/**
 * `npm run train -- --import-run <dir>`: a run trained by the exported train.py comes back into the run store, and
 * the workbench computes from its weights what it computes for its own runs (the test report, the attention
 * snapshot), so that it is viewed as a local run is.
 */
export async function importTrainedRun(
  runs: RunStore,
  folder: string,
  dataDir: string,
  backendName?: string,
): Promise<number> {
  const { record } = await importRun(runs, resolve(folder));
  console.log = (...args: unknown[]) => console.error(...args);
  const backend = await selectBackend(backendName ?? process.env['WORKBENCH_BACKEND']);
  console.error(cliText('cli.backend', { name: describeBackend(backend) }));
  const datasets = new DatasetLibrary({ cacheDir: join(dataDir, 'cache'), datasetsDir: join(dataDir, 'datasets') });
  const snapshot = await importedRunReport(storedRunPlan(record), runs.artifacts, datasets);
  if (snapshot) await runs.writeAttention(record.id, snapshot);
  const accuracy = record.test
    ? cliText('cli.testAccuracy', { value: `${(record.test.accuracy * 100).toFixed(1)}%` })
    : '';
  const line = cliText('cli.importedRun', {
    id: record.id,
    trainedBy: record.trainedBy ?? '',
    accuracy,
    folder: join(runs.root, record.id),
  });
  process.stdout.write(terminalLines(`${line}\n`));
  return 0;
}
