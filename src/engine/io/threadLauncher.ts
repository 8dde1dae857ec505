import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread from its built entry (a .js file the build emits beside the entry that launches it:
 * passed in by that entry, because a shared chunk's own import.meta.url points elsewhere) or, when the caller runs
 * from TypeScript source (the CLI and the tests, under tsx), from `sourceName` beside the caller, registering tsx
 * in the new thread first: Node does not apply --import hooks to a worker's entry file.
 */
export function threadLauncher(
  callerUrl: string,
  sourceName: string,
  builtEntry: URL | undefined,
): (options: WorkerOptions) => Worker {
  if (callerUrl.endsWith('.ts')) {
    const source = callerUrl.replace(/[^/]*$/, sourceName);
    const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); })`;
    return (options) => new Worker(bootstrap, { ...options, eval: true });
  }
  if (!builtEntry) throw new Error(`${sourceName} was not built beside this entry`);
  return (options) => new Worker(builtEntry, options);
}
