import { describe, expect, it } from 'vitest';
import { hyperParamsSchema } from '../../src/shared/hyperParams';
import { learningRateAt } from '../../src/shared/learningRateSchedule';

const params = (overrides: object) => hyperParamsSchema.parse({ learningRate: 0.1, ...overrides });

describe('learning-rate schedules', () => {
  it('constant, with a linear warm-up when asked', () => {
    expect(learningRateAt(params({}), 1, 100, 10)).toBe(0.1);
    const warm = params({ warmupSteps: 4 });
    [0.025, 0.05, 0.075, 0.1, 0.1, 0.1].forEach((rate, i) =>
      expect(learningRateAt(warm, [1, 2, 3, 4, 5, 100][i]!, 100, 10)).toBeCloseTo(rate, 12),
    );
  });

  it('step: times gamma every stepEpochs epochs', () => {
    const step = params({ schedule: 'step', stepEpochs: 2, stepGamma: 0.5 });
    // 10 steps an epoch: steps 1-20 are epochs 1-2, 21-40 epochs 3-4, ...
    expect([1, 20, 21, 40, 41].map((s) => learningRateAt(step, s, 100, 10))).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
  });

  it('cosine: from the peak after warm-up down to 0 at the last step, half way at the middle', () => {
    const cosine = params({ schedule: 'cosine', warmupSteps: 10 });
    expect(learningRateAt(cosine, 10, 110, 10)).toBeCloseTo(0.1, 12);
    expect(learningRateAt(cosine, 60, 110, 10)).toBeCloseTo(0.05, 12);
    expect(learningRateAt(cosine, 110, 110, 10)).toBeCloseTo(0, 12);
    // 0.5 * (1 + cos(pi * t)) at t = 1/4.
    expect(learningRateAt(cosine, 35, 110, 10)).toBeCloseTo(0.05 * (1 + Math.SQRT1_2), 12);
  });

  it("inverse square root: Vaswani et al.'s d^-0.5 min(s^-0.5, s w^-1.5), scaled to peak at the learning rate", () => {
    const inverse = params({ schedule: 'inverse-sqrt', warmupSteps: 400 });
    const vaswani = (s: number) => Math.min(s ** -0.5, s * 400 ** -1.5);
    for (const s of [1, 100, 400, 1600, 10_000]) {
      expect(learningRateAt(inverse, s, 20_000, 10)).toBeCloseTo((0.1 * vaswani(s)) / vaswani(400), 12);
    }
    expect(learningRateAt(inverse, 1600, 20_000, 10)).toBeCloseTo(0.05, 12);
  });
});
