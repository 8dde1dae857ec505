import { freemem } from 'node:os';
import type { TrainEvent } from '../../shared/events';
import type { TrainStartRequest } from '../../shared/ipc';
import type { DatasetLibrary } from '../../engine/data/library/datasetLibrary';
import { planRun } from '../../shared/runPlan';
import { newRunId, RunRecorder } from '../runs/recordRunEvent';
import type { RunStore } from '../runs/runStore';
import { checkTrainingMemory, trainingMemoryLimit } from '../training/memoryGuard';
import type { TrainingSupervisor } from '../training/trainingSupervisor';

/** Starts and stops runs, records everything they report, and passes each event on to the windows. */
export class TrainingService {
  private readonly recorder: RunRecorder;

  constructor(
    private readonly supervisor: TrainingSupervisor,
    private readonly store: RunStore,
    private readonly broadcast: (event: TrainEvent) => void,
    private readonly datasets: DatasetLibrary,
  ) {
    this.recorder = new RunRecorder(store);
    supervisor.onEvent((event) => void this.record(event));
  }

  /** Runs left queued or running by an app that closed are marked failed, so no run looks alive forever. */
  async recoverInterrupted(): Promise<void> {
    for (const run of await this.store.list()) {
      if (run.status === 'running' || run.status === 'queued') {
        const when = run.status === 'running' ? 'while it trained' : 'before it started';
        await this.store.update(run.id, { status: 'failed', reason: `interrupted: the app closed ${when}` });
      }
    }
  }

  async start(request: TrainStartRequest): Promise<{ runId: string }> {
    const now = new Date();
    const runId = newRunId(now);
    const dataset = await this.datasets.summary(request.datasetId);
    // Resolved here, once: the run's record and the worker get the same plan.
    const plan = planRun(runId, request, dataset);
    const backend = await this.supervisor.whenReady();
    checkTrainingMemory(plan.spec, dataset!, plan.hyperParams, trainingMemoryLimit(backend?.name ?? null, freemem()));
    await this.store.create({
      id: runId,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      status: 'queued',
      datasetId: plan.datasetId,
      presetId: plan.presetId,
      spec: plan.spec,
      hyperParams: plan.hyperParams,
    });
    this.supervisor.start(plan);
    return { runId };
  }

  stop(runId: string): { stopped: boolean } {
    return { stopped: this.supervisor.stop(runId) };
  }

  /**
   * Writes the event (and the run.json change it implies), then passes it on: what a window shows is already on disk.
   * The writes of one run are queued in call order, so events still reach the windows in the order they happened.
   */
  private async record(event: TrainEvent): Promise<void> {
    try {
      await this.recorder.record(event);
    } catch (error) {
      console.error(`[run store] could not record ${event.type} of run ${event.runId}:`, error);
    }
    this.broadcast(event);
  }
}
