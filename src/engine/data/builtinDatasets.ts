import { findDataset } from './catalog';
import { generateKeywordTopics } from './keywordTopics';
import { loadSpamAssassin } from './spamAssassin';
import type { TextClassificationData } from './textClassification';

const LOADERS: Record<string, (cacheDir: string) => Promise<TextClassificationData>> = {
  'spam-assassin': loadSpamAssassin,
  'keyword-topics': async () => generateKeywordTopics(),
};

// Loaded once per process: the training worker lives long and runs many trainings on the same data.
const loaded = new Map<string, Promise<TextClassificationData>>();

export function loadBuiltinDataset(id: string, cacheDir: string): Promise<TextClassificationData> {
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
