import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';

const resource = (name: string) => readFileSync(new URL(`../resources/${name}`, import.meta.url));
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('resources/', () => {
  it('holds the window icon and a PNG of every packaging size', () => {
    const icon = PNG.sync.read(resource('icon.png'));
    expect([icon.width, icon.height]).toEqual([512, 512]);
    // Transparent corners (the rounded square), opaque middle.
    expect(icon.data[3]).toBe(0);
    expect(icon.data[(256 * 512 + 256) * 4 + 3]).toBe(255);
    for (const size of [16, 32, 48, 64, 128, 256, 512, 1024]) {
      const png = PNG.sync.read(resource(`icons/${size}.png`));
      expect([png.width, png.height]).toEqual([size, size]);
    }
  });

  it('holds a Windows .ico and a macOS .icns whose entries are those PNGs', () => {
    const ico = resource('icon.ico');
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2), ico.readUInt16LE(4)]).toEqual([0, 1, 6]);
    for (let i = 0; i < 6; i++) {
      const [length, offset] = [ico.readUInt32LE(6 + 16 * i + 8), ico.readUInt32LE(6 + 16 * i + 12)];
      expect(ico.subarray(offset, offset + 8)).toEqual(PNG_SIGNATURE);
      expect(offset + length).toBeLessThanOrEqual(ico.length);
    }
    const icns = resource('icon.icns');
    expect(icns.toString('ascii', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const types: string[] = [];
    for (let at = 8; at < icns.length; at += icns.readUInt32BE(at + 4)) {
      types.push(icns.toString('ascii', at, at + 4));
      expect(icns.subarray(at + 8, at + 16)).toEqual(PNG_SIGNATURE);
    }
    expect(types).toEqual(['ic07', 'ic08', 'ic09', 'ic10']);
  });
});
