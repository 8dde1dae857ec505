import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Language } from '../shared/i18n/languages';
import type { EventChannel, EventPayloads } from '../shared/ipc';
import { DatasetLibrary } from '../engine/data/library/datasetLibrary';
import { RunStore } from './runs/runStore';
import { DatasetService } from './services/datasetService';
import { createInvokeHandlers, type InvokeHandlers } from './services/invokeHandlers';
import { TrainingService } from './services/trainingService';
import { ComparisonService } from './comparisons/comparisonService';
import { PytorchService } from './services/pytorchService';
import { TrainingSupervisor, type WorkerLauncher } from './training/trainingSupervisor';
import type { ProcessForker } from '../engine/io/processLauncher';

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
  /** The desktop app's native file/folder dialog. */
  pickPath?: (kind: 'file' | 'folder') => Promise<string | null>;
  /** The desktop app's menus in the window's language. */
  setLanguage?: (language: Language) => void;
  /** The app's resources folder (train.py for the PyTorch export); the repository's when unset. */
  resourcesDir?: string;
  /** The built decode worker (decodeWorker.js beside the entry), for image imports; from source when unset. */
  decodeWorker?: URL;
  /** How the desktop app starts a decode process (Electron's utilityProcess); Node's fork when unset. */
  forkProcess?: ProcessForker;
  /** The built tokenize worker (tokenizeWorker.js beside the entry), for big text imports; from source when unset. */
  tokenizeWorker?: URL;
}

/** The services behind both transports, wired once: run store, training supervisor and worker, handlers. */
export async function createWorkbench(options: WorkbenchOptions): Promise<Workbench> {
  await mkdir(join(options.dataDir, 'runs'), { recursive: true });
  const sinks = new Set<EventSink>();
  const runs = new RunStore(join(options.dataDir, 'runs'));
  const folders = { cacheDir: join(options.dataDir, 'cache'), datasetsDir: join(options.dataDir, 'datasets') };
  const library = new DatasetLibrary({
    ...folders,
    ...(options.decodeWorker
      ? {
          decodePool: {
            builtEntry: options.decodeWorker,
            ...(options.forkProcess ? { forkProcess: options.forkProcess } : {}),
          },
        }
      : {}),
    ...(options.tokenizeWorker ? { tokenizePool: { builtEntry: options.tokenizeWorker } } : {}),
  });
  const supervisor = new TrainingSupervisor(options.launchWorker, {
    ...folders,
    runsDir: join(options.dataDir, 'runs'),
    ...(options.backend ? { backend: options.backend } : {}),
    ...(options.resourcesDir ? { resourcesDir: options.resourcesDir } : {}),
  });
  let comparisons: ComparisonService | null = null;
  const training = new TrainingService(
    supervisor,
    runs,
    (event) => {
      for (const sink of sinks) sink('train:event', event);
      void comparisons?.onEvent(event);
    },
    library,
  );
  comparisons = new ComparisonService(join(options.dataDir, 'comparisons'), training, runs);
  const datasets = new DatasetService(library, (event) => {
    for (const sink of sinks) sink('datasets:progress', event);
  });
  await training.recoverInterrupted();
  supervisor.warmUp();
  const pytorch = new PytorchService(options.dataDir, runs, supervisor, library);
  const handlers = createInvokeHandlers({ ...options, supervisor, training, runs, datasets, comparisons, pytorch });
  return {
    handlers,
    subscribe(sink) {
      sinks.add(sink);
      return () => sinks.delete(sink);
    },
    close: async () => {
      await supervisor.close();
      await training.settle();
    },
  };
}
