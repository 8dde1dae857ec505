import { seededRandom } from '../split/seededRandom';
import type { TextClassificationData } from '../datasetTypes';

const TOPICS: Record<string, string[]> = {
  sport: ['football', 'tennis', 'goal', 'referee', 'marathon', 'stadium', 'coach', 'tournament'],
  music: ['guitar', 'melody', 'concert', 'drummer', 'orchestra', 'chorus', 'album', 'violin'],
  food: ['pasta', 'recipe', 'bakery', 'spices', 'dessert', 'chef', 'noodles', 'cheese'],
};

const FILLER = (
  'the a of and to in is was it for on with as at by this that from or be are were an which have has had ' +
  'not but they you we he she there their one all would can will about if up out so what when who some more ' +
  'time people way day man thing woman life child world school state family group country problem hand part ' +
  'place case week company system program question work government number night point home water room mother ' +
  'area money story fact month lot right study book eye job word business issue side kind head house service'
).split(' ');

/**
 * A synthetic text set whose class is decided by one topic word hidden among 10-30 common words. A classifier can
 * only be right by finding that word, so a trained model's attention has a known right answer to point at.
 */
export function generateKeywordTopics(count = 1500, seed = 7): TextClassificationData {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const classNames = Object.keys(TOPICS);
  const texts: string[] = [];
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % classNames.length;
    const words = Array.from({ length: 10 + Math.floor(random() * 21) }, () => pick(FILLER));
    words.splice(Math.floor(random() * (words.length + 1)), 0, pick(TOPICS[classNames[label]!]!));
    texts.push(words.join(' '));
    labels[i] = label;
  }
  return { classNames, texts, labels };
}
