import { seededRandom } from '../data/split/seededRandom';

/**
 * Runs `build` with Math.random replaced by a PRNG seeded from the run's seed, so that the same seed gives the same
 * initial weights. tfjs' initializers draw from seedrandom seeded with Math.random() when they are given no seed,
 * and every layer initializes its weights while the graph is built, synchronously, inside `build`.
 */
export function withSeededInitialization<T>(seed: number, build: () => T): T {
  const original = Math.random;
  Math.random = seededRandom(seed ^ 0x5eed);
  try {
    return build();
  } finally {
    Math.random = original;
  }
}
