/**
 * Token counts over a stream of any length in bounded memory (lossy counting, after Manku and Motwani): when more
 * than `capacity` distinct tokens are held, those counted `floor` times or fewer are dropped and the floor rises,
 * until half the capacity is free. A token dropped and seen again restarts from zero, so a kept count is low by at
 * most `floor`; while nothing was dropped every count is exact. The vocabulary keeps the most frequent tokens,
 * which a floor far below their counts leaves untouched.
 */
export class BoundedCounts {
  private readonly counts = new Map<string, number>();
  /** Tokens counted this many times or fewer may have been dropped; 0 while every count is exact. */
  floor = 0;
  /** Every token added, dropped or not. */
  total = 0;

  constructor(readonly capacity = 1_000_000) {}

  add(tokens: readonly string[], counts: ArrayLike<number>): void {
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      this.counts.set(token, (this.counts.get(token) ?? 0) + counts[i]!);
      this.total += counts[i]!;
    }
    if (this.counts.size <= this.capacity) return;
    do {
      this.floor++;
      for (const [token, count] of this.counts) if (count <= this.floor) this.counts.delete(token);
    } while (this.counts.size > this.capacity / 2);
  }

  get distinct(): number {
    return this.counts.size;
  }

  /**
   * The `size` most frequent tokens counted at least `minFrequency` times (ties in code-point order, so that the
   * vocabulary is the same whatever order the batches came in), with their counts.
   */
  top(size: number, minFrequency = 1): { tokens: string[]; counts: number[] } {
    const kept = [...this.counts.entries()]
      .filter(([, count]) => count >= minFrequency)
      .sort(([a, ca], [b, cb]) => cb - ca || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, size);
    return { tokens: kept.map(([token]) => token), counts: kept.map(([, count]) => count) };
  }
}
