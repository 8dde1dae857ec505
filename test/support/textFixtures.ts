import { writeFile } from 'node:fs/promises';
import { seededRandom } from '../../src/engine/data/split/seededRandom';

/** A labelled text: what a CSV row or a JSON line holds. */
export interface LabelledText {
  text: string;
  label: string;
}

const COMMON = ['the', 'a', 'film', 'movie', 'was', 'is', 'and', 'it', 'this', 'of', 'plot', 'acting', 'story'];
const CUES: Record<string, string[]> = {
  pos: ['good', 'great', 'excellent', 'superb'],
  neg: ['bad', 'awful', 'terrible', 'poor'],
};

/**
 * Reviews whose class shows in two cue words among filler: learnable in a few epochs. Every `longEvery`-th text is
 * long (to be cut when stored); punctuation and capitals test the tokenizer's cutting.
 */
export function reviews(count: number, seed = 1, longEvery = 50): LabelledText[] {
  const random = seededRandom(seed);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;
  return Array.from({ length: count }, (_, i) => {
    const label = i % 2 === 0 ? 'pos' : 'neg';
    const length = i % longEvery === longEvery - 1 ? 300 : 4 + Math.floor(random() * 12);
    const words = Array.from({ length }, () => pick(COMMON));
    words.splice(Math.floor(random() * words.length), 0, pick(CUES[label]!));
    words.splice(Math.floor(random() * words.length), 0, pick(CUES[label]!));
    return { text: `${words.join(' ')}, Really!`, label };
  });
}

/** The texts as a CSV with a header; texts are quoted (they hold commas). */
export async function writeCsv(path: string, rows: LabelledText[]): Promise<void> {
  const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;
  await writeFile(path, ['text,label', ...rows.map((r) => `${quote(r.text)},${r.label}`)].join('\n') + '\n');
}

export async function writeJsonLines(path: string, rows: LabelledText[]): Promise<void> {
  await writeFile(path, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
}

/**
 * The word tokens of these fixtures, cut independently of the app's tokenizer: lower-cased ASCII words, and each
 * other visible character alone (the fixtures hold nothing else).
 */
export const fixtureWords = (text: string): string[] => text.toLowerCase().match(/[a-z]+|[0-9]+|[^\sa-z0-9]/g) ?? [];
