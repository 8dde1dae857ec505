import { seededRandom, shuffleInPlace } from './seededRandom';

export interface SplitIndices {
  train: number[];
  validation: number[];
  test: number[];
}

/**
 * Splits example indices into train/validation/test with the same class proportions in each, reproducibly for a
 * seed. Every class with at least 3 examples gives one to each non-empty split, so a rare class is never missing
 * from validation.
 */
export function stratifiedSplit(
  labels: ArrayLike<number>,
  fractions: { validation: number; test: number },
  seed: number,
): SplitIndices {
  const random = seededRandom(seed);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const members = byClass.get(labels[i]!) ?? [];
    members.push(i);
    byClass.set(labels[i]!, members);
  }
  const split: SplitIndices = { train: [], validation: [], test: [] };
  for (const members of [...byClass.entries()].sort(([a], [b]) => a - b).map(([, m]) => m)) {
    shuffleInPlace(members, random);
    const share = (fraction: number) =>
      fraction > 0 && members.length >= 3 ? Math.max(1, Math.round(members.length * fraction)) : 0;
    const validation = share(fractions.validation);
    const test = share(fractions.test);
    // Element by element: push(...slice) overflows the stack for a class of a few hundred thousand members.
    members.forEach((index, i) =>
      (i < validation ? split.validation : i < validation + test ? split.test : split.train).push(index),
    );
  }
  // Interleave the classes again, so that a batch drawn in order is not one class.
  shuffleInPlace(split.train, random);
  shuffleInPlace(split.validation, random);
  shuffleInPlace(split.test, random);
  return split;
}
