import { parentPort } from 'node:worker_threads';

/** How a pool member hears its requests and answers them, whether it runs as a thread or as a process. */
export interface PoolPort<Request> {
  onMessage(listener: (message: Request) => void): void;
  /** `transfer` moves buffers to a thread; a process copies them anyway. */
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void;
}

/** Electron's end of a utilityProcess: messages come wrapped in an event. */
interface ElectronParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

/**
 * The port of this thread or process to its pool: a worker thread's parentPort, an Electron utility process's
 * parentPort, or a forked Node process's IPC channel. A forked process exits when its parent goes (the channel
 * closes), so an import killed with its app leaves no decoder behind.
 */
export function poolPort<Request>(): PoolPort<Request> {
  const thread = parentPort;
  if (thread)
    return {
      onMessage: (listener) => thread.on('message', (message) => listener(message as Request)),
      postMessage: (message, transfer) => thread.postMessage(message, transfer),
    };
  const electron = (process as { parentPort?: ElectronParentPort }).parentPort;
  if (electron)
    return {
      onMessage: (listener) => electron.on('message', (event) => listener(event.data as Request)),
      postMessage: (message) => electron.postMessage(message),
    };
  const send = process.send?.bind(process);
  if (!send) throw new Error('started neither as a worker thread nor as a child process of a pool');
  process.once('disconnect', () => process.exit(0));
  return {
    onMessage: (listener) => process.on('message', (message) => listener(message as Request)),
    postMessage: (message) => void send(message as never),
  };
}
