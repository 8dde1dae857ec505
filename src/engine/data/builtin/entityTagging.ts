import type { SequenceLabellingData } from '../datasetTypes';
import { seededRandom } from '../split/seededRandom';

// Words that are both a first name and a place: only the context tells which tag is right.
const AMBIGUOUS = [
  'jordan',
  'georgia',
  'austin',
  'victoria',
  'florence',
  'charlotte',
  'adelaide',
  'chelsea',
  'phoenix',
  'madison',
];
const PEOPLE = ['anna', 'james', 'maria', 'wei', 'fatima', 'olga', 'carlos', 'yuki', 'peter', 'amara', 'liam', 'sofia'];
const PLACES = [
  'paris',
  'nairobi',
  'oslo',
  'lima',
  'hanoi',
  'toronto',
  'cairo',
  'berlin',
  'quito',
  'seoul',
  'dublin',
  'perth',
];
const MONTHS = ['january', 'march', 'may', 'june', 'august', 'october', 'december'];

// {P} a person, {L} a place, {D} a date (month and day); other words are tagged O.
const TEMPLATES = [
  '{P} flew to {L} on {D}',
  'on {D} {P} met {P} in {L}',
  'the office in {L} hired {P} last week',
  '{P} has lived in {L} since {D}',
  'we drove from {L} to {L} with {P}',
  'a letter from {P} arrived on {D}',
  'the museum of {L} opens again on {D}',
  'ask {P} about the trip to {L}',
  '{P} and {P} moved to {L}',
  'rain is expected in {L} on {D}',
];

/**
 * A synthetic sequence-labelling set: short sentences with people (PER), places (LOC) and dates (DATE), in IOB2 tags.
 * A fifth of names and places are words that can be either (Jordan, Georgia, Charlotte...), so a tagger must read
 * the words around them: "flew to jordan" against "jordan flew to". Generated with a fixed seed.
 */
export function generateEntityTagging(count = 3000, seed = 5): SequenceLabellingData {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const sentences: string[][] = [];
  const tags: string[][] = [];
  for (let i = 0; i < count; i++) {
    const words: string[] = [];
    const labels: string[] = [];
    for (const part of pick(TEMPLATES).split(' ')) {
      if (part === '{P}' || part === '{L}') {
        const name = random() < 0.2 ? pick(AMBIGUOUS) : pick(part === '{P}' ? PEOPLE : PLACES);
        words.push(name);
        labels.push(part === '{P}' ? 'B-PER' : 'B-LOC');
      } else if (part === '{D}') {
        words.push(pick(MONTHS), String(1 + Math.floor(random() * 28)));
        labels.push('B-DATE', 'I-DATE');
      } else {
        words.push(part);
        labels.push('O');
      }
    }
    sentences.push(words);
    tags.push(labels);
  }
  return { kind: 'sequence-labelling', sentences, tags };
}
