import { fork, type ChildProcess } from 'node:child_process';
import type { DriverCommand, DriverReply } from './runStoreDriver';

const DRIVER = new URL('./runStoreDriver.ts', import.meta.url).pathname;
const ROOT = new URL('../../', import.meta.url).pathname;

/** Another process working on the same run store: send it commands, kill it -9. */
export interface StoreProcess {
  pid: number;
  send(command: DriverCommand): Promise<DriverReply>;
  kill(): Promise<void>;
}

export async function startStoreProcess(runsDir: string): Promise<StoreProcess> {
  const child: ChildProcess = fork(DRIVER, [runsDir], { cwd: ROOT, execArgv: ['--import', 'tsx'], stdio: 'ignore' });
  let pending: ((reply: DriverReply) => void) | null = null;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.on('message', (reply: DriverReply) => {
    const resolve = pending;
    pending = null;
    resolve?.(reply);
  });
  // The driver says it is ready once its store is open.
  await new Promise<void>((resolve, reject) => {
    pending = () => resolve();
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the store process exited with ${code} before it was ready`)));
  });
  return {
    pid: child.pid!,
    send: (command) =>
      new Promise((resolve, reject) => {
        pending = resolve;
        child.send(command, (error) => error && reject(error));
      }),
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
