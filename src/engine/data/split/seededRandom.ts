/** mulberry32: a small, fast PRNG, so that a split or a shuffle is the same for the same seed on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher-Yates shuffle in place. */
export function shuffleInPlace<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/**
 * The seed of one epoch's shuffle, mixed from the run's seed and the epoch's number (two odd multipliers from
 * MurmurHash3), so that any epoch's order is computed directly, without replaying the epochs before it.
 */
export function epochShuffleSeed(seed: number, epoch: number): number {
  return (Math.imul(seed + 1, 0x9e3779b1) + Math.imul(epoch, 0x85ebca6b)) >>> 0;
}
