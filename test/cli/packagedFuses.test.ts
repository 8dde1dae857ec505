import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FuseState, FuseV1Options, flipFuses, getCurrentFuseWire } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
import { PACKAGED_APP_FUSES } from '../../src/cli/packagedFuses';

/** Electron's fuse wire as it sits in the binary: the sentinel, a version byte, a length byte, one byte per fuse. */
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const FUSE_COUNT = Object.keys(FuseV1Options).length / 2;

describe("the packaged app's fuses", () => {
  it("decide every fuse of Electron's wire", () => {
    for (let fuse = 0; fuse < FUSE_COUNT; fuse++)
      expect(typeof (PACKAGED_APP_FUSES as Record<number, unknown>)[fuse], FuseV1Options[fuse]).toBe('boolean');
  });

  it("are written into a binary's fuse wire: no Node mode, no NODE_OPTIONS or --inspect, asar only and checked", async () => {
    // A stand-in binary: bytes around one fuse wire with every fuse enabled, as a stock Electron ships RunAsNode.
    const binary = join(await mkdtemp(join(tmpdir(), 'fuses-')), 'electron');
    const wire = Buffer.concat([
      Buffer.from(SENTINEL),
      Buffer.from([1, FUSE_COUNT]),
      Buffer.alloc(FUSE_COUNT, FuseState.ENABLE),
    ]);
    await writeFile(binary, Buffer.concat([Buffer.alloc(4096, 7), wire, Buffer.alloc(4096, 9)]));
    await flipFuses(binary, PACKAGED_APP_FUSES);
    const fuses = await getCurrentFuseWire(binary);
    const state = (fuse: FuseV1Options) => (fuses as Record<number, FuseState>)[fuse];
    expect(state(FuseV1Options.RunAsNode)).toBe(FuseState.DISABLE);
    expect(state(FuseV1Options.EnableNodeOptionsEnvironmentVariable)).toBe(FuseState.DISABLE);
    expect(state(FuseV1Options.EnableNodeCliInspectArguments)).toBe(FuseState.DISABLE);
    expect(state(FuseV1Options.GrantFileProtocolExtraPrivileges)).toBe(FuseState.DISABLE);
    expect(state(FuseV1Options.OnlyLoadAppFromAsar)).toBe(FuseState.ENABLE);
    expect(state(FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe(FuseState.ENABLE);
    expect(state(FuseV1Options.EnableCookieEncryption)).toBe(FuseState.ENABLE);
    // Only the wire changed: the bytes around it are the binary's own.
    const after = await readFile(binary);
    expect(after.subarray(0, 4096)).toEqual(Buffer.alloc(4096, 7));
    expect(after.subarray(after.length - 4096)).toEqual(Buffer.alloc(4096, 9));
  });
});
