import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { findDataset } from '../src/engine/data/builtin/catalog';
import { trainWithReplicas } from '../src/main/training/replicaRun';
import type { ReplicaWorkerData } from '../src/main/training/replicaProtocol';
import { findPreset } from '../src/shared/architecture/presets';
import { hyperParamsSchema } from '../src/shared/hyperParams';
import { planRun } from '../src/shared/runPlan';
import { launchSourceWorker } from '../test/support/sourceWorker';

const REPLICA_SOURCE = new URL('../src/main/training/replicaWorker.ts', import.meta.url).href;

const launch = (data: ReplicaWorkerData) => launchSourceWorker(data, REPLICA_SOURCE);

/**
 * npm run bench -- replicas: samples/s of a preset's training on its built-in dataset with 1 and with N replica
 * threads (N = this machine's cores), through the same coordinator the app will use. Timed from the first progress
 * report to the last of 2 epochs, so data preparation and start-up are not counted.
 */
export async function replicaThroughput(backend = 'wasm', presetIds = ['transformer-text', 'conv-attention-image']) {
  const cores = availableParallelism();
  const root = await mkdtemp(join(tmpdir(), 'replica-bench-'));
  console.log(`data-parallel replicas, ${backend}, ${cores} cores: samples/s from the first progress report on`);
  console.log(`  ${'preset'.padEnd(22)} ${'1 replica'.padStart(10)} ${`${cores} replicas`.padStart(11)}  scaling`);
  try {
    for (const presetId of presetIds) {
      const preset = findPreset(presetId)!;
      const figures: number[] = [];
      for (const replicas of [1, cores]) {
        const plan = planRun(
          `${presetId}-${replicas}`,
          {
            datasetId: preset.defaultDatasetId,
            presetId,
            hyperParams: hyperParamsSchema.parse({
              epochs: 2,
              batchSize: 32,
              maxTrainExamples: 1024,
              checkpointEvery: 0,
            }),
          },
          findDataset(preset.defaultDatasetId),
        );
        const times: { at: number; step: number }[] = [];
        const finished = await trainWithReplicas({
          plan,
          replicas,
          launch,
          shared: { backend, cacheDir: join(root, 'cache'), datasetsDir: join(root, 'datasets') },
          emit: (event) =>
            void (event.type === 'progress' && times.push({ at: performance.now(), step: event.globalStep })),
          stopRequested: () => false,
        });
        if (finished.status !== 'completed') throw new Error(`${presetId} x${replicas}: ${finished.reason}`);
        const [first, last] = [times[0]!, times.at(-1)!];
        figures.push(((last.step - first.step) * 32 * 1000) / (last.at - first.at));
      }
      const [one, all] = figures as [number, number];
      const scaling = `${(all / one).toFixed(2)}x, ${((all / one / cores) * 100).toFixed(0)}% efficient`;
      console.log(`  ${presetId.padEnd(22)} ${one.toFixed(0).padStart(10)} ${all.toFixed(0).padStart(11)}  ${scaling}`);
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
