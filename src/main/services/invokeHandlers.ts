import type { Language } from '../../shared/i18n/languages';
import type { InvokeChannel, InvokeResponse, ValidInvokeRequest } from '../../shared/ipc';
import { PRESETS } from '../../shared/architecture/presets';
import { metricsCsv } from '../runs/metricsCsv';
import { predictWithRun } from './predictionService';
import type { RunStore } from '../runs/runStore';
import type { TrainingSupervisor } from '../training/trainingSupervisor';
import type { DatasetService } from './datasetService';
import type { TrainingService } from './trainingService';
import type { ComparisonService } from '../comparisons/comparisonService';
import type { PytorchService } from './pytorchService';

/** One handler per invoke channel; each receives a request already validated against the channel's schema. */
export type InvokeHandlers = {
  [C in InvokeChannel]: (request: ValidInvokeRequest<C>) => Promise<InvokeResponse<C>>;
};

export interface ServiceDependencies {
  version: string;
  transport: 'electron' | 'browser-host';
  dataDir: string;
  supervisor: TrainingSupervisor;
  training: TrainingService;
  runs: RunStore;
  datasets: DatasetService;
  comparisons: ComparisonService;
  pytorch: PytorchService;
  /** The desktop app's native file/folder dialog; absent in the browser host. */
  pickPath?: (kind: 'file' | 'folder') => Promise<string | null>;
  /** The desktop app's native menus, built again in the window's language; absent in the browser host. */
  setLanguage?: (language: Language) => void;
}

export function createInvokeHandlers(deps: ServiceDependencies): InvokeHandlers {
  return {
    'app:info': async () => ({
      version: deps.version,
      transport: deps.transport,
      dataDir: deps.dataDir,
      backend: deps.supervisor.backend,
      notice: deps.supervisor.notice,
    }),
    'app:language': async ({ language }) => {
      deps.setLanguage?.(language);
      return { language };
    },
    'datasets:list': () => deps.datasets.list(),
    'datasets:import': (request) => deps.datasets.import(request),
    'datasets:cancel-import': async ({ importId }) => deps.datasets.cancelImport(importId),
    'datasets:remove': ({ datasetId }) => deps.datasets.remove(datasetId),
    'datasets:inspect': (request) => deps.datasets.inspect(request),
    'datasets:samples': (request) => deps.datasets.samples(request),
    'dialog:pick-path': async ({ kind }) => {
      if (!deps.pickPath) throw new Error('file dialogs exist only in the desktop app: type or paste the path instead');
      return { path: await deps.pickPath(kind) };
    },
    'presets:list': async () => [...PRESETS],
    'train:start': (request) => deps.training.start(request),
    'train:stop': async ({ runId }) => deps.training.stop(runId),
    'runs:list': () => deps.runs.list(),
    'runs:get': ({ runId }) => deps.runs.get(runId),
    'train:pause': async ({ runId, paused }) => deps.training.setPaused(runId, paused),
    'train:queue-move': async ({ runId, offset }) => deps.training.move(runId, offset),
    'runs:active': () => deps.training.active(),
    'runs:resume': ({ runId }) => deps.training.resume(runId),
    'runs:update': async ({ runId, ...patch }) => {
      await deps.runs.update(runId, patch);
      return deps.runs.record(runId);
    },
    'runs:details': async ({ runId }) => ({
      checkpoints: await deps.runs.checkpoints(runId),
      attentionEpochs: await deps.runs.attentionEpochs(runId),
    }),
    'runs:attention': ({ runId, epoch }) => deps.runs.attention(runId, epoch),
    'runs:evaluation': ({ runId }) => deps.runs.evaluation(runId),
    'runs:export-pytorch': ({ runId }) => deps.pytorch.exportRun(runId),
    'architecture:export-pytorch': (request) => deps.pytorch.exportArchitecture(request),
    'runs:import': ({ path }) => deps.pytorch.importRun(path),
    'runs:damaged': async () => [...(await deps.runs.scan()).damaged, ...(await deps.comparisons.damaged())],
    'runs:predict': (request) => predictWithRun(request, deps.runs, deps.supervisor),
    'runs:delete': async ({ runId }) => {
      if (deps.supervisor.isActive(runId)) throw new Error(`run ${runId} is queued or training: stop it first`);
      return { deleted: await deps.runs.remove(runId) };
    },
    'comparisons:start': (request) => deps.comparisons.start(request),
    'comparisons:list': () => deps.comparisons.list(),
    'comparisons:report': ({ comparisonId }) => deps.comparisons.report(comparisonId),
    'runs:metrics-csv': async ({ runId }) => ({
      fileName: `${runId}-metrics.csv`,
      csv: metricsCsv((await deps.runs.get(runId)).events),
    }),
  };
}
