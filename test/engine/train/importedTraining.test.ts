import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/engine/backend';
import { DatasetLibrary } from '../../../src/engine/data/library/datasetLibrary';
import { generateDateFormats } from '../../../src/engine/data/builtin/dateFormats';
import { generateEntityTagging } from '../../../src/engine/data/builtin/entityTagging';
import { generateKeywordTopics } from '../../../src/engine/data/builtin/keywordTopics';
import type { BackendReport } from '../../../src/shared/backends';
import { importOptionsSchema } from '../../../src/shared/datasetImport';
import { hyperParamsSchema } from '../../../src/shared/hyperParams';
import type { TokenizerKind } from '../../../src/shared/tokenizerSettings';
import { writeCifarFolder, writeImageFolder, writeMnistFolder } from '../../support/datasetFixtures';
import { planRun } from '../../../src/shared/runPlan';
import { expectTrainingLossFalls } from '../../support/lossFalls';

let backend: BackendReport;
let root: string;
let library: DatasetLibrary;
beforeAll(async () => {
  backend = await selectBackend(process.env['WORKBENCH_BACKEND']);
  root = await mkdtemp(join(tmpdir(), 'imported-training-'));
  library = new DatasetLibrary({ cacheDir: join(root, 'cache'), datasetsDir: join(root, 'datasets') });
});

const topics = generateKeywordTopics(150, 7);
const topicRows = topics.texts.map((text, i) => [text, topics.classNames[topics.labels[i]!]!]);
const tagged = generateEntityTagging(150, 5);
const dates = generateDateFormats(150, 5);

/** One case per import format: how to write it, and the preset from the model library that trains on it. */
const CASES: { format: string; preset: string; tokenizer?: TokenizerKind; write: (path: string) => Promise<string> }[] =
  [
    { format: 'image-folder', preset: 'conv-attention-image', write: async (p) => (await writeImageFolder(p, 24), p) },
    {
      format: 'mnist-idx',
      preset: 'conv-attention-image',
      write: async (p) => (await writeMnistFolder(p, 80, 20, true), p),
    },
    { format: 'cifar10-binary', preset: 'mlp-image', write: async (p) => (await writeCifarFolder(p, 50, 2, 20), p) },
    {
      format: 'csv',
      preset: 'transformer-text',
      tokenizer: 'wordpiece',
      write: async (p) => (
        await writeFile(`${p}.csv`, Papa.unparse({ fields: ['text', 'label'], data: topicRows })),
        `${p}.csv`
      ),
    },
    {
      format: 'jsonl',
      preset: 'mlp-text',
      tokenizer: 'bpe',
      write: async (p) => (
        await writeFile(`${p}.jsonl`, topicRows.map(([text, label]) => JSON.stringify({ text, label })).join('\n')),
        `${p}.jsonl`
      ),
    },
    {
      format: 'conll',
      preset: 'transformer-tagger',
      write: async (p) => (
        await writeFile(
          `${p}.conll`,
          tagged.sentences.map((s, i) => s.map((w, t) => `${w}\t${tagged.tags[i]![t]}`).join('\n')).join('\n\n'),
        ),
        `${p}.conll`
      ),
    },
    {
      format: 'seq2seq-tsv',
      preset: 'transformer-seq2seq',
      write: async (p) => (
        await writeFile(`${p}.tsv`, dates.sources.map((s, i) => `${s}\t${dates.targets[i]}`).join('\n')),
        `${p}.tsv`
      ),
    },
    {
      format: 'seq2seq-jsonl',
      preset: 'transformer-seq2seq',
      write: async (p) => (
        await writeFile(
          `${p}.jsonl`,
          dates.sources.map((source, i) => JSON.stringify({ source, target: dates.targets[i] })).join('\n'),
        ),
        `${p}.jsonl`
      ),
    },
  ];

describe('each import format trains with a preset from the model library', () => {
  for (const c of CASES) {
    it(`${c.format} with ${c.preset}${c.tokenizer ? ` (${c.tokenizer})` : ''}: imported, stored, and the training loss falls`, async () => {
      const path = await c.write(join(root, c.format));
      const summary = await library.import(path, importOptionsSchema.parse({ format: c.format }));
      expect(summary.examples).toBeGreaterThan(0);
      // A second library reads the stored copy, as the training worker does.
      const worker = new DatasetLibrary({ cacheDir: join(root, 'cache'), datasetsDir: join(root, 'datasets') });
      await expectTrainingLossFalls(
        {
          plan: planRun(
            c.format,
            {
              datasetId: summary.id,
              presetId: c.preset,
              hyperParams: hyperParamsSchema.parse({
                epochs: 4,
                batchSize: 16,
                learningRate: 3e-3,
                dropout: 0,
                validationFraction: 0.15,
                testFraction: 0.1,
              }),
              ...(c.tokenizer ? { tokenizer: { kind: c.tokenizer, vocabSize: 300, minFrequency: 1 } } : {}),
            },
            summary,
          ),
          backend,
          datasets: worker,
        },
        4,
      );
    }, 120_000);
  }
});
