import { fork, type Serializable } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sourceBundle } from './sourceBundle';
import type { PoolMember } from './threadPool';

/**
 * Starts one process of a pool from its entry file. Node's child_process.fork by default; the Electron app passes
 * utilityProcess instead (its executable is Electron, which fork would open as a second app).
 */
export type ProcessForker = (entry: string, env: Record<string, string>) => PoolMember;

// What the pool listens with, and what an emitter calls: `any`, as each event's arguments differ.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Listener = (value: any) => void;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type EmitterListener = (...args: any[]) => void;

/**
 * A child process as a pool member, whichever API started it: `adapt` turns what it emits for an event into what the
 * pool expects (the message, an Error, the exit code).
 */
export function emitterMember(
  emitter: NodeJS.EventEmitter,
  adapt: (event: 'message' | 'error' | 'exit', listener: Listener) => EmitterListener,
  postMessage: (message: unknown) => void,
  terminate: () => void,
): PoolMember {
  return {
    postMessage,
    on: (event, listener) => emitter.on(event, adapt(event, listener)),
    once: (event, listener) => emitter.once(event, adapt(event, listener)),
    terminate,
  };
}

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
  const member = emitterMember(
    child,
    // The exit code, or the signal's name when a signal ended it.
    (event, listener) =>
      event === 'exit' ? (code: number | null, signal: string | null) => listener(code ?? signal) : listener,
    (message) => {
      // A process that has gone is reported by its 'exit', with why: a send that finds it gone (EPIPE) says less.
      if (child.connected) child.send(message as Serializable, () => undefined);
    },
    () => child.kill('SIGKILL'),
  );
  return { ...member, pid: child.pid };
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
