import { freemem } from 'node:os';
import { isLive, type TrainEvent } from '../../shared/events';
import type { TrainStartRequest } from '../../shared/ipc';
import type { DatasetLibrary } from '../../engine/data/library/datasetLibrary';
import { planRun, type RunPlan } from '../../shared/runPlan';
import type { DatasetSummary } from '../../shared/datasets';
import { newRunId, queuedRecord, RunRecorder } from '../runs/recordRunEvent';
import { claimResume, hasCheckpoint } from '../runs/resumePlan';
import type { RunStore } from '../runs/runStore';
import type { RunRecord } from '../../shared/runs';
import { checkTrainingMemory, trainingMemoryLimit } from '../training/memoryGuard';
import type { TrainingSupervisor } from '../training/trainingSupervisor';
import { withReplicaCount } from '../training/replicaCount';

/** A request resolved into its plan, with the dataset it was resolved against, not yet queued. */
export interface PlannedRun {
  plan: RunPlan;
  dataset: DatasetSummary;
  createdAt: Date;
}

/** Starts and stops runs, records everything they report, and passes each event on to the windows. */
export class TrainingService {
  private readonly recorder: RunRecorder;
  /** Events being recorded now: closing waits for them, so that nothing the worker reported is lost. */
  private readonly writing = new Set<Promise<void>>();

  constructor(
    private readonly supervisor: TrainingSupervisor,
    private readonly store: RunStore,
    private readonly broadcast: (event: TrainEvent) => void,
    private readonly datasets: DatasetLibrary,
  ) {
    this.recorder = new RunRecorder(store, (runId) => supervisor.stop(runId));
    supervisor.onEvent((event) => {
      const write = this.record(event).catch((error: unknown) => {
        console.error(`[training] could not pass on ${event.type} of run ${event.runId}:`, error);
      });
      this.writing.add(write);
      void write.finally(() => this.writing.delete(write));
    });
  }

  /**
   * Runs left queued or running by an app or CLI that closed are marked interrupted, so no run looks alive forever;
   * one that a live CLI holds is training and is left alone.
   */
  recoverInterrupted(): Promise<void> {
    return this.store.recoverInterrupted();
  }

  async start(request: TrainStartRequest): Promise<{ runId: string }> {
    return this.queue(await this.plan(request));
  }

  /**
   * Resolves a request into its run plan, once: the run's record and the worker get the same plan, and a caller
   * that needs the resolved spec (a comparison sizes its baseline on it) reads it here instead of resolving again.
   */
  async plan(request: TrainStartRequest): Promise<PlannedRun> {
    const createdAt = new Date();
    const dataset = await this.datasets.summary(request.datasetId);
    const plan = planRun(newRunId(createdAt), request, dataset);
    if (plan.initFromRun && !(await hasCheckpoint(this.store, plan.initFromRun, ['best', 'latest']))) {
      throw new Error(`run ${plan.initFromRun} has no checkpoint to start from`);
    }
    return { plan, dataset: dataset!, createdAt };
  }

  /** Records a planned run as queued and hands it to the supervisor, once the memory it needs is there. */
  async queue(planned: PlannedRun): Promise<{ runId: string }> {
    const { dataset, createdAt } = planned;
    const backend = await this.supervisor.whenReady();
    const plan = withReplicaCount(planned.plan, backend?.name ?? null);
    const free = freemem();
    checkTrainingMemory(plan.spec, dataset, plan.hyperParams, trainingMemoryLimit(backend?.name ?? null, free), free);
    await this.store.create(queuedRecord(plan, createdAt, 'app'));
    this.supervisor.start(plan);
    return { runId: plan.runId };
  }

  /** Queues a stopped, failed or interrupted run again, to go on from its latest checkpoint. */
  async resume(runId: string): Promise<{ runId: string }> {
    // A run recorded before replicas were a recipe field trains with one per core, as a new run would.
    const backend = await this.supervisor.whenReady();
    const plan = withReplicaCount(await claimResume(this.store, runId), backend?.name ?? null);
    this.supervisor.start(plan);
    return { runId };
  }

  /** Waits until every event reported so far is on disk (or has failed, saying why). */
  async settle(): Promise<void> {
    while (this.writing.size) await Promise.all(this.writing);
  }

  /** Pauses the running run between two steps, or lets it go on. */
  setPaused(runId: string, paused: boolean): { changed: boolean } {
    return { changed: this.supervisor.setPaused(runId, paused) };
  }

  /** The runs still to be watched: the running or paused one, then the queue in its order. */
  async active(): Promise<RunRecord[]> {
    const live = (await this.store.list()).filter((run) => isLive(run.status));
    const order = this.supervisor.queued();
    const place = (run: RunRecord) => (run.status === 'queued' ? order.indexOf(run.id) + 1 || order.length + 1 : 0);
    return live.sort((a, b) => place(a) - place(b));
  }

  move(runId: string, offset: -1 | 1): { moved: boolean } {
    return { moved: this.supervisor.move(runId, offset) };
  }

  stop(runId: string): { stopped: boolean } {
    return { stopped: this.supervisor.stop(runId) };
  }

  /**
   * Writes the event (and the run.json change it implies), then passes it on: what a window shows is already on disk.
   * The writes of one run are queued in call order, so events still reach the windows in the order they happened.
   */
  private async record(event: TrainEvent): Promise<void> {
    this.broadcast(await this.recorder.record(event));
  }
}
