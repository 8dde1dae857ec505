import { fork, type Serializable } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sourceBundle } from './sourceBundle';
import type { PoolMember } from './threadPool';

/**
 * Starts one process of a pool from its entry file. Node's child_process.fork by default; the Electron app passes
 * utilityProcess instead (its executable is Electron, which fork would open as a second app).
 */
export type ProcessForker = (entry: string, env: Record<string, string>) => PoolMember;

/**
 * Node's fork as a pool member: messages by structured clone ('advanced' serialisation, so typed arrays arrive as
 * typed arrays), terminate kills at once, and the exit code is the signal's name when a signal ended it.
 */
export const forkNodeProcess = (
  entry: string,
  env: Record<string, string> = {},
): PoolMember & { pid: number | undefined } => {
  if (process.versions['electron']) throw new Error(`${entry}: Electron starts pool processes with utilityProcess`);
  const child = fork(entry, [], {
    execArgv: [],
    env: { ...process.env, ...env },
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const listen = (event: 'message' | 'error' | 'exit', listener: (value: any) => void) =>
    event === 'exit' ? (code: number | null, signal: string | null) => listener(code ?? signal) : listener;
  return {
    pid: child.pid,
    postMessage: (message) => {
      // A process that has gone is reported by its 'exit', with why: a send that finds it gone (EPIPE) says less.
      if (child.connected) child.send(message as Serializable, () => undefined);
    },
    on: (event, listener) => child.on(event, listen(event, listener)),
    once: (event, listener) => child.once(event, listen(event, listener)),
    terminate: () => child.kill('SIGKILL'),
  };
};

/**
 * Starts pool processes from their built entry (a .js file beside the entry that launches them, passed in by that
 * entry) or, when the caller runs from TypeScript source (the CLI and the tests, under tsx), from `sourceName` beside
 * the caller, bundled; `env` is added to this process's environment for them.
 */
export function processLauncher(
  callerUrl: string,
  sourceName: string,
  builtEntry: URL | undefined,
  env: Record<string, string>,
  forker: ProcessForker = forkNodeProcess,
): () => PoolMember {
  if (callerUrl.endsWith('.ts')) {
    const bundle = sourceBundle(fileURLToPath(callerUrl.replace(/[^/]*$/, sourceName)));
    return () => forker(bundle, env);
  }
  if (!builtEntry) throw new Error(`${sourceName} was not built beside this entry`);
  const entry = fileURLToPath(builtEntry);
  return () => forker(entry, env);
}
