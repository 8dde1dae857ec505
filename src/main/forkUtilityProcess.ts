import { utilityProcess } from 'electron';
import { emitterMember, type ProcessForker } from '../engine/io/processLauncher';

/**
 * A pool process in the desktop app: Electron's utilityProcess, as Node's fork would start a second copy of the app
 * (its executable is Electron, and the RunAsNode fuse is off). Messages go by structured clone, as with fork.
 */
export const forkUtilityProcess: ProcessForker = (entry, env) => {
  const child = utilityProcess.fork(entry, [], {
    serviceName: 'Attention Workbench decoder',
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  // Its typed overloads take one event each; the pool listens through the emitter it is.
  return emitterMember(
    child,
    (event, listener) =>
      event === 'error'
        ? // Electron reports a fatal V8 error by its type and where, not as an Error.
          (type: string, location: string) => listener(new Error(`${type} at ${location}`))
        : listener,
    (message) => child.postMessage(message),
    () => void child.kill(),
  );
};
