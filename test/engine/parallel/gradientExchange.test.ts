import { describe, expect, it } from 'vitest';
import { abortExchange, createExchangeBuffer, GradientExchange } from '../../../src/engine/parallel/gradientExchange';
import { exchangePeer as replica } from '../../support/exchangePeer';

describe('the gradient exchange', () => {
  it('gives three threads the same weighted mean, step after step (double-buffered slots)', async () => {
    const [replicas, length, steps] = [3, 5, 12];
    const buffer = createExchangeBuffer({ replicas, length });
    const results = await Promise.all([0, 1, 2].map((rank) => replica({ buffer, replicas, length, rank, steps })));
    for (let step = 0; step < steps; step++) {
      // weights 1, 2, 3 on values rank * 10 + step + j: the mean is (0 * 1 + 10 * 2 + 20 * 3) / 6 + step + j.
      const expected = [...Array.from({ length }, (_, j) => 80 / 6 + step + j), 6];
      for (const result of results) {
        expect(result.error).toBeUndefined();
        result.means![step]!.forEach((value, j) => expect(value).toBeCloseTo(expected[j]!, 4));
      }
    }
  });

  it("carries one replica's vote to every replica at the same step, and only at that step", async () => {
    const [replicas, length, steps] = [3, 4, 9];
    const buffer = createExchangeBuffer({ replicas, length });
    const results = await Promise.all(
      [0, 1, 2].map((rank) => replica({ buffer, replicas, length, rank, steps, voteAt: 4 })),
    );
    const expected = Array.from({ length: steps }, (_, step) => step === 4);
    for (const result of results) expect(result.votes).toEqual(expected);
  });

  it('a replica waiting for one that died gives up with a reason once the exchange is aborted', async () => {
    const buffer = createExchangeBuffer({ replicas: 2, length: 3 });
    // Only rank 0 runs: it waits at the barrier for rank 1, which never comes.
    const waiting = replica({ buffer, replicas: 2, length: 3, rank: 0, steps: 1 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    abortExchange(buffer);
    expect((await waiting).error).toMatch(/a replica stopped/);
  });

  it('refuses a rank or a buffer that does not fit', () => {
    const buffer = createExchangeBuffer({ replicas: 2, length: 3 });
    expect(() => new GradientExchange(buffer, { replicas: 2, length: 3 }, 2)).toThrow(/rank 2/);
    expect(() => new GradientExchange(buffer, { replicas: 2, length: 4 }, 0)).toThrow(/another shape/);
    expect(() => createExchangeBuffer({ replicas: 0, length: 3 })).toThrow(/replicas/);
  });
});
