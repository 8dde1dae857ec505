import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventChannel, EventPayloads } from '../shared/ipc';
import { RunStore } from './runStore';
import { createInvokeHandlers, type InvokeHandlers } from './services/invokeHandlers';
import { TrainingService } from './services/trainingService';
import { TrainingSupervisor, type WorkerLauncher } from './training/trainingSupervisor';

export type EventSink = <E extends EventChannel>(channel: E, payload: EventPayloads[E]) => void;

export interface Workbench {
  handlers: InvokeHandlers;
  /** Adds a receiver of every pushed event (a window, a WebSocket); returns its removal. */
  subscribe(sink: EventSink): () => void;
  close(): Promise<void>;
}

export interface WorkbenchOptions {
  dataDir: string;
  version: string;
  transport: 'electron' | 'browser-host';
  launchWorker: WorkerLauncher;
  /** Forces the worker's backend (WORKBENCH_BACKEND). */
  backend?: string;
}

/** The services behind both transports, wired once: run store, training supervisor and worker, handlers. */
export async function createWorkbench(options: WorkbenchOptions): Promise<Workbench> {
  await mkdir(join(options.dataDir, 'runs'), { recursive: true });
  const sinks = new Set<EventSink>();
  const runs = new RunStore(join(options.dataDir, 'runs'));
  const supervisor = new TrainingSupervisor(options.launchWorker, {
    cacheDir: join(options.dataDir, 'cache'),
    ...(options.backend ? { backend: options.backend } : {}),
  });
  const training = new TrainingService(supervisor, runs, (event) => {
    for (const sink of sinks) sink('train:event', event);
  });
  await training.recoverInterrupted();
  supervisor.warmUp();
  const handlers = createInvokeHandlers({ ...options, supervisor, training, runs });
  return {
    handlers,
    subscribe(sink) {
      sinks.add(sink);
      return () => sinks.delete(sink);
    },
    close: () => supervisor.close(),
  };
}
