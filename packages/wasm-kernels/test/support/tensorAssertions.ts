import { expect } from 'vitest';

/** Every value of `actual` within `tolerance` of `expected`, with the first mismatch's index in the message. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-4): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!(Math.abs(actual[i]! - expected[i]!) <= tolerance)) {
      expect.fail(`value ${i}: ${actual[i]} differs from ${expected[i]} by more than ${tolerance}`);
    }
  }
}
