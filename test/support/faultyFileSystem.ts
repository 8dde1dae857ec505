import * as fs from 'node:fs/promises';
import type { RunFileSystem } from '../../src/main/runs/runFileSystem';

/** A file call that changes the disk: the points where a crash or a full disk can strike. */
const MUTATING = new Set([
  'writeFile',
  'appendFile',
  'rename',
  'rm',
  'unlink',
  'link',
  'mkdir',
  'open:w',
  'handle.write',
  'handle.writeFile',
  'handle.sync',
  'handle.truncate',
]);

/** An error as the kernel would give it (code, errno text, the path). */
function systemError(code: string, op: string, path: string): NodeJS.ErrnoException {
  const text = { ENOSPC: 'no space left on device', EIO: 'i/o error', EDQUOT: 'disk quota exceeded' }[code] ?? code;
  return Object.assign(new Error(`${code}: ${text}, ${op} '${path}'`), { code, path, syscall: op });
}

/** Thrown at and after the call a simulated crash stops at: the process is gone, nothing more reaches the disk. */
export class SimulatedCrash extends Error {
  constructor(readonly step: number) {
    super(`simulated crash at mutating call ${step}`);
  }
}

export interface FaultPlan {
  /** The process dies at this mutating call (0-based): it and every later call fail without touching the disk. */
  crashAt?: number;
  /** These mutating calls fail with the code (ENOSPC, EIO), the disk unchanged by them; later calls go on. */
  failWith?: { code: string; when: (op: string, path: string) => boolean };
}

/**
 * node:fs/promises with faults injected where a test says: a full disk or an I/O error on chosen calls, or a
 * crash at the n-th call that changes the disk. Records every mutating call, so a test can count the steps of a
 * protocol and then crash it at each one.
 */
export function faultyFileSystem(plan: FaultPlan = {}) {
  const mutations: { op: string; path: string }[] = [];
  let crashed = false;
  const gate = (op: string, path: string) => {
    // A dead process's files are closed by the kernel: closing is let through, so no descriptor is left open.
    if (op === 'handle.close') return;
    if (crashed) throw new SimulatedCrash(mutations.length);
    if (!MUTATING.has(op)) return;
    if (plan.crashAt !== undefined && mutations.length >= plan.crashAt) {
      crashed = true;
      throw new SimulatedCrash(mutations.length);
    }
    if (plan.failWith?.when(op, path))
      throw systemError(plan.failWith.code, op.replace(/^handle\./, '').replace(':w', ''), path);
    mutations.push({ op, path });
  };
  const pathOf = (value: unknown) => String(value);
  const wrapHandle = (handle: fs.FileHandle, path: string): fs.FileHandle =>
    new Proxy(handle, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          gate(`handle.${String(property)}`, path);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  const files: RunFileSystem = {
    open: (async (path: fs.FileHandle | string, flags?: string | number, mode?: number) => {
      const writes = typeof flags === 'string' && /[wa+]/.test(flags);
      gate(writes ? 'open:w' : 'open', pathOf(path));
      return wrapHandle(await fs.open(path as string, flags, mode), pathOf(path));
    }) as RunFileSystem['open'],
    readFile: ((...args: Parameters<typeof fs.readFile>) => {
      gate('readFile', pathOf(args[0]));
      return fs.readFile(...args);
    }) as RunFileSystem['readFile'],
    writeFile: (...args) => (gate('writeFile', pathOf(args[0])), fs.writeFile(...args)),
    appendFile: (...args) => (gate('appendFile', pathOf(args[0])), fs.appendFile(...args)),
    rename: (...args) => (gate('rename', pathOf(args[0])), fs.rename(...args)),
    rm: (...args) => (gate('rm', pathOf(args[0])), fs.rm(...args)),
    unlink: (...args) => (gate('unlink', pathOf(args[0])), fs.unlink(...args)),
    link: (...args) => (gate('link', pathOf(args[1])), fs.link(...args)),
    mkdir: ((...args: Parameters<typeof fs.mkdir>) => {
      gate('mkdir', pathOf(args[0]));
      return fs.mkdir(...args);
    }) as RunFileSystem['mkdir'],
    readdir: ((...args: Parameters<typeof fs.readdir>) => {
      gate('readdir', pathOf(args[0]));
      return fs.readdir(...args);
    }) as RunFileSystem['readdir'],
    stat: ((...args: Parameters<typeof fs.stat>) => {
      gate('stat', pathOf(args[0]));
      return fs.stat(...args);
    }) as RunFileSystem['stat'],
  };
  return { files, mutations, crashed: () => crashed };
}
