import { parentPort, workerData } from 'node:worker_threads';
import { selectBackend } from '../../engine/backend';
import { DatasetLibrary } from '../../engine/data/library/datasetLibrary';
import { createExchangeBuffer, GradientExchange } from '../../engine/parallel/gradientExchange';
import { runTraining } from '../../engine/train/runTraining';
import type { AttentionEvent, TrainEvent } from '../../shared/events';
import { RunArtifactFiles } from '../runs/runArtifactFiles';
import { nodeFileSystem } from '../runs/runFileSystem';
import {
  REPLICA_PAUSE,
  REPLICA_STOP,
  type JoinExchangeMessage,
  type ReplicaMessage,
  type ReplicaWorkerData,
} from './replicaProtocol';

/**
 * One replica of a data-parallel run, in its own thread with its own backend: it prepares the run's data as every
 * replica does, and trains on its share of each batch (runTraining with `replica`). Replica 0 makes the gradient
 * exchange once its model is built and reports the run's events; the others join the exchange and report only
 * their end. The coordinator (replicaRun.ts) relays, stops and pauses.
 */
const port = parentPort!;
const input = workerData as ReplicaWorkerData;
const post = (message: ReplicaMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
const flags = new Int32Array(input.flags);

const joined = new Promise<SharedArrayBuffer>((resolve) =>
  port.on('message', (message: JoinExchangeMessage) => {
    if (message.type === 'exchange') resolve(message.buffer);
  }),
);

async function connect(length: number): Promise<GradientExchange> {
  const shape = { replicas: input.replicas, length };
  if (input.rank > 0) return new GradientExchange(await joined, shape, input.rank);
  const buffer = createExchangeBuffer(shape);
  post({ type: 'exchange', buffer });
  return new GradientExchange(buffer, shape, 0);
}

const attentionBuffers = (event: TrainEvent): ArrayBuffer[] =>
  event.type === 'attention'
    ? [
        ...(event as AttentionEvent).layers.map((l) => l.weights.buffer as ArrayBuffer),
        ...(event.image ? [event.image.pixels.buffer as ArrayBuffer] : []),
      ]
    : [];

const backend = await selectBackend(input.backend);
const datasets = new DatasetLibrary({ cacheDir: input.cacheDir, datasetsDir: input.datasetsDir });
const artifacts = input.runsDir ? new RunArtifactFiles(nodeFileSystem, input.runsDir) : null;
const lead = input.rank === 0;
const finished = await runTraining(
  {
    plan: input.plan,
    backend,
    datasets,
    ...(artifacts ? { artifacts } : {}),
    ...(lead && input.exportDir ? { exportDir: input.exportDir } : {}),
    replica: { rank: input.rank, replicas: input.replicas, connect },
  },
  {
    emit: (event) => {
      if (lead && event.type !== 'finished') post({ type: 'event', event }, attentionBuffers(event));
    },
    stopRequested: () => lead && Atomics.load(flags, REPLICA_STOP) === 1,
    paused: () => lead && Atomics.load(flags, REPLICA_PAUSE) === 1,
  },
  lead
    ? {
        ...(input.attentionIntervalMs !== undefined ? { attentionIntervalMs: input.attentionIntervalMs } : {}),
        ...(input.progressIntervalMs !== undefined ? { progressIntervalMs: input.progressIntervalMs } : {}),
      }
    : // The others report nothing: no attention snapshots (their progress is still read, for the NaN guard).
      { attentionIntervalMs: Number.MAX_SAFE_INTEGER },
);
post({ type: 'done', finished });
