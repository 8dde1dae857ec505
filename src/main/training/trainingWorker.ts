import { parentPort, workerData } from 'node:worker_threads';
import { describeBackend, selectBackend } from '../../engine/backend';
import { backendComputes } from '../../engine/backendHealth';
import { DatasetLibrary } from '../../engine/data/library/datasetLibrary';
import { runTraining } from '../../engine/train/runTraining';
import { TrainedRunCache } from '../../engine/inference/trainedRunCache';
import { RunArtifactFiles } from '../runs/runArtifactFiles';
import { nodeFileSystem } from '../runs/runFileSystem';
import type { BackendReport } from '../../shared/backends';
import type { FinishedEvent, TrainEvent } from '../../shared/events';
import type { RunPlan } from '../../shared/runPlan';
import type { SupervisorMessage, TrainingWorkerData, WorkerMessage } from '../../shared/workerProtocol';

/**
 * The one long-lived thread that owns TensorFlow.js: it loads the backend once (the native addon is only reliable in
 * the first worker that loads it) and trains the runs it is sent, one after another.
 */

const port = parentPort!;
const { cacheDir, datasetsDir, runsDir, backend: forcedBackend } = workerData as TrainingWorkerData;
// Loaded datasets stay in memory between runs: a user trains many models on one dataset.
const datasets = new DatasetLibrary({ cacheDir, datasetsDir });
const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

function postEvent(event: TrainEvent): void {
  // Attention weights are moved, not copied: the worker has no further use for them.
  const transfer =
    event.type === 'attention'
      ? [
          ...event.layers.map((l) => l.weights.buffer as ArrayBuffer),
          ...(event.image ? [event.image.pixels.buffer as ArrayBuffer] : []),
        ]
      : [];
  post({ type: 'event', event }, transfer);
}

// Checkpoints and reports go through the run store's own module: the layout is spelled in one place.
const artifacts = runsDir ? new RunArtifactFiles(nodeFileSystem, runsDir) : null;
const trainedRuns = artifacts ? new TrainedRunCache(artifacts, datasets) : null;
let predictions = Promise.resolve();

/** Answers one 'predict', after those before it: one trained run is in memory at a time. */
function predict(message: Extract<SupervisorMessage, { type: 'predict' }>): void {
  const { requestId, plan, example, beamWidth } = message;
  predictions = predictions.then(async () => {
    try {
      if (!trainedRuns) throw new Error('this worker has no run store to load trained runs from');
      await ready;
      const prediction = await trainedRuns.predict(plan, example, beamWidth);
      const { attention } = prediction;
      const transfer = [
        ...attention.layers.map((l) => l.weights.buffer as ArrayBuffer),
        ...(attention.image ? [attention.image.pixels.buffer as ArrayBuffer] : []),
      ];
      post({ type: 'prediction', requestId, prediction }, transfer);
    } catch (error) {
      post({ type: 'prediction-failed', requestId, message: error instanceof Error ? error.message : String(error) });
    }
  });
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
      await runTraining(
        { plan, backend, datasets, ...(artifacts ? { artifacts } : {}) },
        {
          emit: (event) => {
            // New weights on disk (a checkpoint after each epoch, the final model at the end).
            if (event.type === 'epoch' || event.type === 'finished') trainedRuns?.forget(event.runId);
            if (event.type === 'finished') finished = event;
            else postEvent(event);
          },
          stopRequested: () => stopRequests.has(runId),
          paused: () => pausedRuns.has(runId),
        },
      );
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
