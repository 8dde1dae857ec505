import { BUILTIN_DATASETS } from '../../engine/data/catalog';
import type { InvokeChannel, InvokeResponse, ValidInvokeRequest } from '../../shared/ipc';
import { PRESETS } from '../../shared/spec/presets';
import type { RunStore } from '../runStore';
import type { TrainingSupervisor } from '../training/trainingSupervisor';
import type { TrainingService } from './trainingService';

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
    'datasets:list': async () => [...BUILTIN_DATASETS],
    'presets:list': async () => [...PRESETS],
    'train:start': (request) => deps.training.start(request),
    'train:stop': async ({ runId }) => deps.training.stop(runId),
    'runs:list': () => deps.runs.list(),
    'runs:get': ({ runId }) => deps.runs.get(runId),
  };
}
