import { describeBackend, selectBackend } from '../src/engine/backend';
import { generateKeywordTopics } from '../src/engine/data/builtin/keywordTopics';
import { prepareDataset } from '../src/engine/data/prepareDataset';
import { trainModel } from '../src/engine/train/trainModel';
import { hyperParamsSchema } from '../src/shared/hyperParams';
import { findPreset } from '../src/shared/spec/presets';

/**
 * The whole training loop's step time (trainModel: batching, the optimizer step, progress and attention monitoring
 * at their default intervals), on transformer-text with a 64-token input, batch 32, 1,920 examples an epoch.
 * Compared with the bare step of trainingThroughput, the difference is what the loop itself costs.
 */
export async function trainLoopThroughput(backendName?: string): Promise<void> {
  const backend = await selectBackend(backendName);
  const spec = findPreset('transformer-text')!.spec;
  const data = prepareDataset({ kind: 'text-classification', ...generateKeywordTopics(2400, 3) }, spec, {
    validationFraction: 0.1,
    testFraction: 0.1,
    seed: 1,
  });
  const steps: number[] = [];
  let last = 0;
  const finished = await trainModel(
    {
      runId: 'bench',
      datasetId: 'keyword-topics',
      presetId: 'transformer-text',
      spec,
      hyperParams: hyperParamsSchema.parse({ epochs: 1, batchSize: 32 }),
      backend,
      data,
    },
    {
      emit: () => undefined,
      stopRequested: () => false,
      afterStep: () => {
        const now = performance.now();
        if (last > 0) steps.push(now - last);
        last = now;
      },
    },
  );
  // The first steps warm up kernels; the median of the rest is the loop's step time.
  const sorted = steps.slice(5).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  console.log(`training loop, transformer-text, batch 32, backend ${describeBackend(backend)} (${finished.status}):`);
  console.log(
    `  ${median.toFixed(0)} ms/step median over ${sorted.length} steps, ${((32 * 1000) / median).toFixed(1)} samples/s`,
  );
}
