/**
 * Token counts over a stream of any length in bounded memory (lossy counting, after Manku and Motwani): when more
 * than `capacity` distinct tokens are held, those counted `floor` times or fewer are dropped and the floor rises,
 * until half the capacity is free. A token dropped and seen again restarts from zero, so a kept count is low by at
 * most `floor`; while nothing was dropped every count is exact. The vocabulary keeps the most frequent tokens,
 * which a floor far below their counts leaves untouched.
 */
export class BoundedCounts {
  /** Each token's slot in `slots`: one lookup per token seen, an increment in an array after it. */
  private index = new Map<string, number>();
  private slots = new Float64Array(1024);
  /** Tokens counted this many times or fewer may have been dropped; 0 while every count is exact. */
  floor = 0;
  /** Every token added, dropped or not. */
  total = 0;

  constructor(readonly capacity = 1_000_000) {}

  /** Counts one token `count` more times. */
  add(token: string, count = 1): void {
    this.total += count;
    this.count(token, count);
  }

  /** Adds another's counts (a thread's, at the end of a pass): their floors add up, as their errors may. */
  merge(other: { tokens: readonly string[]; counts: ArrayLike<number>; floor: number; total: number }): void {
    for (let i = 0; i < other.tokens.length; i++) this.count(other.tokens[i]!, other.counts[i]!);
    this.total += other.total;
    this.floor += other.floor;
  }

  private count(token: string, count: number): void {
    const slot = this.index.get(token);
    if (slot !== undefined) {
      this.slots[slot] += count;
      return;
    }
    const size = this.index.size;
    if (size === this.slots.length) {
      const grown = new Float64Array(size * 2);
      grown.set(this.slots);
      this.slots = grown;
    }
    this.index.set(token, size);
    this.slots[size] = count;
    if (size + 1 > this.capacity) this.prune();
  }

  /** Every count held, for a merge elsewhere. */
  entries(): { tokens: string[]; counts: Float64Array; floor: number; total: number } {
    return {
      tokens: [...this.index.keys()],
      counts: this.slots.slice(0, this.index.size),
      floor: this.floor,
      total: this.total,
    };
  }

  get distinct(): number {
    return this.index.size;
  }

  /**
   * The `size` most frequent tokens counted at least `minFrequency` times (ties in code-point order, so that the
   * vocabulary is the same whatever order the batches came in), with their counts.
   */
  top(size: number, minFrequency = 1): { tokens: string[]; counts: number[] } {
    const kept = [...this.index.entries()]
      .map(([token, slot]) => [token, this.slots[slot]!] as const)
      .filter(([, count]) => count >= minFrequency)
      .sort(([a, ca], [b, cb]) => cb - ca || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, size);
    return { tokens: kept.map(([token]) => token), counts: kept.map(([, count]) => count) };
  }

  /** Drops the tokens at or under a rising floor until half the capacity is free; the slots are packed again. */
  private prune(): void {
    let entries = [...this.index.entries()].map(([token, slot]) => [token, this.slots[slot]!] as const);
    do {
      this.floor++;
      entries = entries.filter(([, count]) => count > this.floor);
    } while (entries.length > this.capacity / 2);
    this.index = new Map(entries.map(([token], slot) => [token, slot]));
    this.slots = new Float64Array(Math.max(1024, this.capacity + 1));
    entries.forEach(([, count], slot) => (this.slots[slot] = count));
  }
}
