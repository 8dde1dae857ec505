import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors } from '../../src/export/safetensors';

describe('safetensors', () => {
  it('writes the format byte for byte: header length, padded JSON header, then the data in offset order', () => {
    const bytes = encodeSafetensors(
      [
        { name: 'a/kernel', dtype: 'F32', shape: [2, 2], data: new Float32Array([1, -2, 0.5, 3]) },
        { name: 'ids', dtype: 'I32', shape: [3], data: new Int32Array([7, 0, -1]) },
      ],
      { format: 'pt' },
    );
    const length = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(length % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length)));
    expect(header).toEqual({
      __metadata__: { format: 'pt' },
      'a/kernel': { dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] },
      ids: { dtype: 'I32', shape: [3], data_offsets: [16, 28] },
    });
    expect(bytes.length).toBe(8 + length + 28);
    expect([...new Float32Array(bytes.slice(8 + length, 8 + length + 16).buffer)]).toEqual([1, -2, 0.5, 3]);
    // From a Node Buffer too (readFile's), whose slices share one pool.
    const decoded = decodeSafetensors(Buffer.concat([Buffer.alloc(3), Buffer.from(bytes)]).subarray(3));
    expect(decoded.metadata).toEqual({ format: 'pt' });
    expect(decoded.tensors.map((t) => [t.name, t.dtype, t.shape, [...t.data]])).toEqual([
      ['a/kernel', 'F32', [2, 2], [1, -2, 0.5, 3]],
      ['ids', 'I32', [3], [7, 0, -1]],
    ]);
  });

  it('refuses a file whose header or offsets lie, saying what is wrong', () => {
    const good = encodeSafetensors([{ name: 'w', dtype: 'F32', shape: [4], data: new Float32Array(4) }]);
    expect(() => decodeSafetensors(good.slice(0, 5))).toThrow(
      'not a safetensors file: shorter than its 8-byte header length',
    );
    const huge = good.slice();
    new DataView(huge.buffer).setBigUint64(0, 2n ** 40n, true);
    expect(() => decodeSafetensors(huge)).toThrow(/^not a safetensors file: its header claims 1099511627776 bytes of /);
    expect(() => decodeSafetensors(good.slice(0, good.length - 1))).toThrow(
      'tensor w: its offsets [0, 16] do not hold shape [4] inside the file',
    );
    const lying = new TextEncoder().encode('{"w":{"dtype":"F32","shape":[5],"data_offsets":[0,16]}}');
    const file = new Uint8Array(8 + lying.length + 16);
    new DataView(file.buffer).setBigUint64(0, BigInt(lying.length), true);
    file.set(lying, 8);
    expect(() => decodeSafetensors(file)).toThrow(
      'tensor w: its offsets [0, 16] do not hold shape [5] inside the file',
    );
    expect(() => encodeSafetensors([{ name: 'w', dtype: 'F32', shape: [3], data: new Float32Array(4) }])).toThrow(
      'tensor w: shape [3] holds 3 values, its data 4',
    );
  });
});
