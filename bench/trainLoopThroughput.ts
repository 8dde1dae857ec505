import { describeBackend, selectBackend } from '../src/engine/backend';
import type { BackendReport } from '../src/shared/backends';
import { generateKeywordTopics } from '../src/engine/data/builtin/keywordTopics';
import { prepareDataset } from '../src/engine/data/prepareDataset';
import { trainModel } from '../src/engine/train/trainModel';
import { hyperParamsSchema } from '../src/shared/hyperParams';
import { findPreset } from '../src/shared/architecture/presets';

const ROUNDS = 5;

/**
 * One epoch of the whole training loop (trainModel: batching, the optimizer step, the reads of the step window);
 * with `monitoring` the progress events and attention snapshots come at their default intervals (200 ms, 1 s),
 * without it neither comes during the epoch. Mean milliseconds per step after the first five (kernels warm up).
 */
async function epochStepTime(backend: BackendReport, monitoring: boolean): Promise<number> {
  const spec = findPreset('transformer-text')!.spec;
  const data = prepareDataset({ kind: 'text-classification', ...generateKeywordTopics(2400, 3) }, spec, {
    validationFraction: 0.1,
    testFraction: 0.1,
    seed: 1,
  });
  const stepEnds: number[] = [];
  await trainModel(
    {
      runId: 'bench',
      datasetId: 'keyword-topics',
      presetId: 'transformer-text',
      spec,
      hyperParams: hyperParamsSchema.parse({ epochs: 1, batchSize: 32 }),
      backend,
      data,
      ...(monitoring ? {} : { attentionIntervalMs: Infinity, progressIntervalMs: Infinity }),
    },
    { emit: () => undefined, stopRequested: () => false, afterStep: () => stepEnds.push(performance.now()) },
  );
  const measured = stepEnds.slice(5);
  return (measured.at(-1)! - measured[0]!) / (measured.length - 1);
}

/**
 * The training loop's step time on transformer-text (64-token input, batch 32, 1,920 examples an epoch) with
 * monitoring on and off, interleaved round by round, the best of five each (an epoch is ~2 s, and the machine's
 * speed moves by a few percent within that); the difference is what live progress and attention cost.
 */
export async function trainLoopThroughput(backendName?: string): Promise<void> {
  const backend = await selectBackend(backendName);
  const best = { on: Infinity, off: Infinity };
  for (let round = 0; round < ROUNDS; round++) {
    // Which goes first alternates, so that neither always runs after the other.
    for (const monitoring of round % 2 === 0 ? [true, false] : [false, true]) {
      const ms = await epochStepTime(backend, monitoring);
      if (monitoring) best.on = Math.min(best.on, ms);
      else best.off = Math.min(best.off, ms);
    }
  }
  const cost = ((best.on - best.off) / best.off) * 100;
  console.log(`training loop, transformer-text, batch 32, backend ${describeBackend(backend)}:`);
  console.log(
    `  monitoring on ${best.on.toFixed(1)} ms/step (${((32 * 1000) / best.on).toFixed(1)} samples/s), off ${best.off.toFixed(1)} ms/step: progress and attention cost ${cost.toFixed(1)}%`,
  );
}
