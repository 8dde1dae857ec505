import { findDataset } from './catalog';
import { generateDateFormats } from './dateFormats';
import type { LoadedDataset } from '../datasetTypes';
import { generateEntityTagging } from './entityTagging';
import { generateKeywordTopics } from './keywordTopics';
import { loadMnistDigits } from './mnistDigits';
import { generateObjectInClutter } from './objectInClutter';
import { generateSequenceReversal } from './sequenceReversal';
import { loadSpamAssassin } from './spamAssassin';

const LOADERS: Record<string, (cacheDir: string) => Promise<LoadedDataset>> = {
  'spam-assassin': async (cacheDir) => ({ kind: 'text-classification', ...(await loadSpamAssassin(cacheDir)) }),
  'keyword-topics': async () => ({ kind: 'text-classification', ...generateKeywordTopics() }),
  'mnist-digits': () => loadMnistDigits(),
  'object-in-clutter': async () => generateObjectInClutter(),
  'entity-tagging': async () => generateEntityTagging(),
  'date-formats': async () => generateDateFormats(),
  'sequence-reversal': async () => generateSequenceReversal(),
};

// Loaded once per process: the training worker lives long and runs many trainings on the same data.
const loaded = new Map<string, Promise<LoadedDataset>>();

export function loadBuiltinDataset(id: string, cacheDir: string): Promise<LoadedDataset> {
  const loader = LOADERS[id];
  if (!loader || !findDataset(id)) return Promise.reject(new Error(`unknown dataset "${id}"`));
  let data = loaded.get(id);
  if (!data) {
    data = loader(cacheDir);
    loaded.set(id, data);
    data.catch(() => loaded.delete(id));
  }
  return data;
}
