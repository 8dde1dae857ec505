/**
 * Where dropout's masks come from in training: a stream keyed by the run's seed and the step, so that the same seed
 * draws the same masks (a run repeated, or resumed from a checkpoint, sees the masks the uninterrupted one saw).
 * The training loop sets the key before each step; each dropout call within the step takes the next seeds. With no
 * key set (a model used outside a run) dropout draws from Math.random, as tfjs does.
 */
let key: { seed: number; step: number; call: number } | null = null;

/** Starts the step's stream: `seed` is the run's (and replica's), `step` the global step about to run. */
export function seedDropout(seed: number, step: number): void {
  key = { seed, step, call: 0 };
}

/** Ends the stream: dropout outside a run draws from Math.random again. */
export function unseedDropout(): void {
  key = null;
}

/** murmur3's finaliser: every bit of the input moves every bit of the output. */
function mix(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** The next dropout call's four generator seeds, or null when no run has set the stream. */
export function nextDropoutSeeds(): [number, number, number, number] | null {
  if (!key) return null;
  const call = key.call++;
  const base = mix(mix(mix(key.seed) ^ key.step) ^ call);
  return [0, 1, 2, 3].map((lane) => mix(base ^ Math.imul(lane + 1, 0x9e3779b9))) as [number, number, number, number];
}
