import { randomBytes } from 'node:crypto';
import type { TrainEvent } from '../../shared/events';
import type { TrainStartRequest } from '../../shared/ipc';
import { findPreset } from '../../shared/spec/presets';
import { findDataset } from '../../engine/data/catalog';
import type { RunStore } from '../runStore';
import type { TrainingSupervisor } from '../training/trainingSupervisor';

/** Starts and stops runs, records everything they report, and passes each event on to the windows. */
export class TrainingService {
  constructor(
    private readonly supervisor: TrainingSupervisor,
    private readonly store: RunStore,
    private readonly broadcast: (event: TrainEvent) => void,
  ) {
    supervisor.onEvent((event) => void this.record(event));
  }

  /** Runs left 'running' by an app that closed mid-training are marked failed, so no run looks alive forever. */
  async recoverInterrupted(): Promise<void> {
    for (const run of await this.store.list()) {
      if (run.status === 'running') {
        await this.store.update(run.id, { status: 'failed', reason: 'interrupted: the app closed while it trained' });
      }
    }
  }

  async start(request: TrainStartRequest): Promise<{ runId: string }> {
    const preset = findPreset(request.presetId);
    if (!preset) throw new Error(`unknown preset "${request.presetId}"`);
    const dataset = findDataset(request.datasetId);
    if (!dataset) throw new Error(`unknown dataset "${request.datasetId}"`);
    if (dataset.task !== preset.task) {
      throw new Error(`preset "${preset.name}" is for ${preset.task}, but "${dataset.name}" is ${dataset.task}`);
    }
    const now = new Date();
    const runId = `${now.toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${randomBytes(3).toString('hex')}`;
    await this.store.create({
      id: runId,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      status: 'running',
      datasetId: dataset.id,
      presetId: preset.id,
      spec: preset.spec,
      hyperParams: request.hyperParams,
    });
    this.supervisor.start(runId, request);
    return { runId };
  }

  stop(runId: string): { stopped: boolean } {
    return { stopped: this.supervisor.stop(runId) };
  }

  private async record(event: TrainEvent): Promise<void> {
    this.broadcast(event);
    try {
      await this.store.append(event.runId, event);
      if (event.type === 'started') {
        await this.store.update(event.runId, { backend: event.backend, parameterCount: event.parameterCount });
      } else if (event.type === 'finished') {
        await this.store.update(event.runId, {
          status: event.status,
          ...(event.reason ? { reason: event.reason } : {}),
          ...(event.test ? { test: event.test } : {}),
        });
      }
    } catch (error) {
      console.error(`[run store] could not record ${event.type} of run ${event.runId}:`, error);
    }
  }
}
