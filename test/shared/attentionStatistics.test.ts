import { describe, expect, it } from 'vitest';
import { headStatistics } from '../../src/shared/attentionStatistics';

describe('head statistics', () => {
  it('entropy 0 and distance 0 for a head that looks at itself, ln(n) for a uniform one, by hand for the rest', () => {
    const n = 4;
    const diagonal = Array.from({ length: n * n }, (_, i) => (Math.floor(i / n) === i % n ? 1 : 0));
    const uniform = new Array<number>(n * n).fill(1 / n);
    // Each query splits its weight between itself (0.5) and the previous token (0.5); the first keeps it all.
    const previous = Array.from({ length: n * n }, (_, i) => {
      const [q, k] = [Math.floor(i / n), i % n];
      return q === 0 ? (k === 0 ? 1 : 0) : k === q || k === q - 1 ? 0.5 : 0;
    });
    const stats = headStatistics({
      kind: 'tokens',
      heads: 3,
      queries: n,
      keys: n,
      weights: Float32Array.from([...diagonal, ...uniform, ...previous]),
    });
    expect(stats[0]).toEqual({ entropy: 0, meanDistance: 0 });
    expect(stats[1]!.entropy).toBeCloseTo(Math.log(n), 6);
    // Uniform over 4 positions: mean |q - k| over q of (sum_k |q - k|) / 4 = (6 + 4 + 4 + 6) / 16.
    expect(stats[1]!.meanDistance).toBeCloseTo(20 / 16, 6);
    expect(stats[2]!.entropy).toBeCloseTo((3 * Math.log(2)) / 4, 6);
    expect(stats[2]!.meanDistance).toBeCloseTo((3 * 0.5) / 4, 6);
  });

  it('gives no distance where queries and keys are different sequences', () => {
    const [stats] = headStatistics({
      kind: 'tokens',
      heads: 1,
      queries: 2,
      keys: 3,
      weights: Float32Array.from([1, 0, 0, 0, 0.5, 0.5]),
    });
    expect(stats!.meanDistance).toBeNull();
    expect(stats!.entropy).toBeCloseTo(Math.log(2) / 2, 6);
  });
});
