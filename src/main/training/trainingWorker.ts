import { parentPort, workerData } from 'node:worker_threads';
import { describeBackend, selectBackend } from '../../engine/backend';
import { backendComputes } from '../../engine/backendHealth';
import { DatasetLibrary } from '../../engine/data/library/datasetLibrary';
import { runTraining } from '../../engine/train/runTraining';
import { TrainedRunCache } from '../../engine/inference/trainedRunCache';
import { RunArtifactFiles } from '../runs/runArtifactFiles';
import { nodeFileSystem } from '../runs/runFileSystem';
import type { BackendReport } from '../../shared/backends';
import type { AttentionEvent, FinishedEvent, TrainEvent } from '../../shared/events';
import type { RunPlan } from '../../shared/runPlan';
import type {
  SupervisorMessage,
  TrainingWorkerData,
  WorkerMessage,
  WorkerTaskResult,
} from '../../shared/workerProtocol';
import { exportToPytorch } from '../../engine/pytorchExportJob';
import type { TrainingHooks } from '../../engine/train/trainingOptions';
import { replicaLauncher } from './launchReplicaWorker';
import { trainWithReplicas } from './replicaRun';
import { importedRunReport } from '../../engine/inference/importedRunReport';

/**
 * The one long-lived thread that owns TensorFlow.js: it loads the backend once (the native addon is only reliable in
 * the first worker that loads it) and trains the runs it is sent, one after another.
 */

const port = parentPort!;
const { cacheDir, datasetsDir, runsDir, backend: forcedBackend, resourcesDir } = workerData as TrainingWorkerData;
// Loaded datasets stay in memory between runs: a user trains many models on one dataset.
const datasets = new DatasetLibrary({ cacheDir, datasetsDir });
const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

/** An attention snapshot's buffers, moved rather than copied: the worker has no further use for them. */
const attentionBuffers = (attention: AttentionEvent): ArrayBuffer[] => [
  ...attention.layers.map((l) => l.weights.buffer as ArrayBuffer),
  ...(attention.image ? [attention.image.pixels.buffer as ArrayBuffer] : []),
];

function postEvent(event: TrainEvent): void {
  post({ type: 'event', event }, event.type === 'attention' ? attentionBuffers(event) : []);
}

// Checkpoints and reports go through the run store's own module: the layout is spelled in one place.
const artifacts = runsDir ? new RunArtifactFiles(nodeFileSystem, runsDir) : null;
const trainedRuns = artifacts ? new TrainedRunCache(artifacts, datasets) : null;
let predictions = Promise.resolve();

/** Answers one 'predict', after those before it: one trained run is in memory at a time. */
function predict(message: Extract<SupervisorMessage, { type: 'predict' }>): void {
  const { requestId, plan, example, beamWidth, lengthPenalty } = message;
  predictions = predictions.then(async () => {
    try {
      if (!trainedRuns) throw new Error('this worker has no run store to load trained runs from');
      await ready;
      const prediction = await trainedRuns.predict(plan, example, beamWidth, lengthPenalty);
      post({ type: 'prediction', requestId, prediction }, attentionBuffers(prediction.attention));
    } catch (error) {
      post({ type: 'prediction-failed', requestId, message: error instanceof Error ? error.message : String(error) });
    }
  });
}

/** Runs one task on a stored run, after the questions and tasks before it (they share the worker's memory). */
function runTask(message: Extract<SupervisorMessage, { type: 'task' }>): void {
  const { requestId, task } = message;
  predictions = predictions.then(async () => {
    try {
      if (!artifacts) throw new Error('this worker has no run store');
      await ready;
      const result: WorkerTaskResult =
        task.kind === 'export'
          ? {
              kind: 'export',
              ...(await exportToPytorch({
                plan: task.plan,
                weights: task.weights,
                artifacts,
                datasets,
                outDir: task.outDir,
                ...(resourcesDir ? { resourcesDir } : {}),
              })),
            }
          : { kind: 'import-report', attention: await importedRunReport(task.plan, artifacts, datasets) };
      const transfer = result.kind === 'import-report' && result.attention ? attentionBuffers(result.attention) : [];
      post({ type: 'task-done', requestId, result }, transfer);
    } catch (error) {
      post({ type: 'task-failed', requestId, message: error instanceof Error ? error.message : String(error) });
    }
  });
}

const launchReplica = replicaLauncher(new URL('./replicaWorker.js', import.meta.url));

/**
 * One run: here, or by its replicas (each a thread of its own, this worker coordinating them) when the plan has more
 * than one. Either way its finished event goes through `hooks.emit`.
 */
async function train(plan: RunPlan, report: BackendReport, hooks: TrainingHooks): Promise<void> {
  if (plan.hyperParams.replicas <= 1) {
    await runTraining({ plan, backend: report, datasets, ...(artifacts ? { artifacts } : {}) }, hooks);
    return;
  }
  const finished = await trainWithReplicas({
    plan,
    replicas: plan.hyperParams.replicas,
    launch: launchReplica,
    shared: { backend: report.name, cacheDir, datasetsDir, ...(runsDir ? { runsDir } : {}) },
    ...hooks,
  });
  hooks.emit(finished);
}

const queue: RunPlan[] = [];
const stopRequests = new Set<string>();
const pausedRuns = new Set<string>();
let backend: BackendReport | null = null;
let busy = false;

/** Set once the backend is broken: this worker trains nothing more and waits to be replaced. */
let lost = false;

async function drain(): Promise<void> {
  if (busy || !backend || lost) return;
  busy = true;
  try {
    for (let plan = queue.shift(); plan && !lost; plan = queue.shift()) {
      const runId = plan.runId;
      if (stopRequests.delete(runId)) {
        postEvent({ type: 'finished', runId, status: 'stopped', reason: 'stopped before it started', epochs: 0 });
        continue;
      }
      // The finished event is held back until the backend is checked, so that 'backend-lost' arrives first.
      let finished: FinishedEvent | null = null;
      await train(plan, backend, {
        emit: (event) => {
          // New weights on disk (a checkpoint after each epoch, the final model at the end).
          if (event.type === 'epoch' || event.type === 'finished') trainedRuns?.forget(event.runId);
          if (event.type === 'finished') finished = event;
          else postEvent(event);
        },
        stopRequested: () => stopRequests.has(runId),
        paused: () => pausedRuns.has(runId),
      });
      stopRequests.delete(runId);
      pausedRuns.delete(runId);
      const outcome = finished as FinishedEvent | null;
      if (outcome?.status === 'failed' && !(await backendComputes())) {
        lost = true;
        post({ type: 'backend-lost', runId, message: outcome.reason ?? 'the backend stopped computing' });
      }
      if (outcome) postEvent(outcome);
    }
  } finally {
    busy = false;
  }
}

port.on('message', (message: SupervisorMessage) => {
  if (message.type === 'predict') return predict(message);
  if (message.type === 'task') return runTask(message);
  if (message.type === 'start') queue.push(message.plan);
  else if (message.type === 'stop') stopRequests.add(message.runId);
  else if (message.type === 'pause') pausedRuns.add(message.runId);
  else pausedRuns.delete(message.runId);
  void drain();
});

const ready = selectBackend(forcedBackend);
ready.then(
  (report) => {
    backend = report;
    console.log(`[training worker] backend: ${describeBackend(report)}`);
    post({ type: 'ready', backend: report });
    void drain();
  },
  (error: unknown) => post({ type: 'fatal', message: error instanceof Error ? error.message : String(error) }),
);
