import { describe, expect, it } from 'vitest';
import { decodeWire, encodeWire } from '../../src/shared/wireFormat';

describe('wire format', () => {
  it('carries Float32Arrays exactly, also views into a larger buffer', () => {
    const backing = new Float32Array([9, 1 / 3, -2.5e-8, 7, 9]);
    const message = { event: 'x', payload: { weights: backing.subarray(1, 4), note: 'plain' } };
    const decoded = decodeWire(encodeWire(message)) as typeof message;
    expect(decoded.payload.weights).toBeInstanceOf(Float32Array);
    expect([...decoded.payload.weights]).toEqual([...backing.subarray(1, 4)]);
    expect(decoded.payload.note).toBe('plain');
  });

  it('carries a large snapshot compactly', () => {
    const weights = new Float32Array(2 * 4 * 64 * 64).map((_, i) => Math.sin(i));
    const text = encodeWire({ weights });
    expect(text.length).toBeLessThan(weights.byteLength * 1.4);
    expect((decodeWire(text) as { weights: Float32Array }).weights).toEqual(weights);
  });
});
