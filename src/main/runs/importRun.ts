import { join } from 'node:path';
import { z } from 'zod';
import { decodeSafetensors } from '../../export/safetensors';
import type { TrainEvent } from '../../shared/events';
import { RECORD_LIMITS } from '../../shared/runLayout';
import type { RunRecord } from '../../shared/runs';
import { MAX_CHECKPOINT_BYTES, type CheckpointIndex } from '../../shared/storedRecords/checkpointIndex';
import { exportManifestSchema, type ExportManifest } from '../../shared/storedRecords/exportManifest';
import { storedCount, storedNumber, storedTimestamp } from '../../shared/storedRecords/storedNumber';
import { trainEventSchema } from '../../shared/storedRecords/trainEvent';
import { streamMetricsLog } from './metricsLog';
import { readRecord } from './readRecord';
import { newRunId } from './recordRunEvent';
import { sizeOf } from './runFileSystem';
import type { RunStore } from './runStore';

/** run.json as train.py writes it: the fields the workbench takes from it. */
const trainedRunSchema = z.object({
  status: z.enum(['completed', 'stopped', 'failed', 'running']),
  startedAt: storedTimestamp.optional(),
  finishedAt: storedTimestamp.optional(),
  backend: z.object({ name: z.string().min(1).max(200) }),
  test: z.object({ loss: storedNumber, accuracy: storedNumber }).optional(),
  best: z.object({ epoch: storedCount(1_000_000), valLoss: storedNumber, valAccuracy: storedNumber }).optional(),
  hyperParams: z
    .object({ epochs: storedCount(10_000) })
    .partial()
    .optional(),
});

/** A folder that cannot be imported: says which file and why. */
export class ImportRefused extends Error {}

async function required<T>(
  read: Promise<{ state: 'ok'; value: T } | { state: 'missing' } | { state: 'damaged'; reason: string }>,
  file: string,
): Promise<T> {
  const result = await read;
  if (result.state === 'ok') return result.value;
  throw new ImportRefused(`${file}: ${result.state === 'missing' ? 'missing' : result.reason}`);
}

/**
 * Takes a run trained outside the app back into the run store: `folder` is a PyTorch export folder (workbench.json)
 * whose train.py wrote `run/` (run.json, metrics.log, weights.safetensors). Every file is read and checked before
 * anything is stored; a malformed or partial folder is refused naming the file and what is wrong, and the store is
 * left as it was. The run gets a new id, its events re-framed under it, and its weights as its 'final' checkpoint.
 */
export async function importRun(
  store: RunStore,
  folder: string,
): Promise<{ record: RunRecord; manifest: ExportManifest }> {
  const files = store.files;
  const runFolder = join(folder, 'run');
  const manifestPath = join(folder, 'workbench.json');
  const manifest = await required(
    readRecord(files, manifestPath, RECORD_LIMITS.record, (v) => exportManifestSchema.safeParse(v)),
    manifestPath,
  );
  const trainedPath = join(runFolder, 'run.json');
  const trained = await required(
    readRecord(files, trainedPath, RECORD_LIMITS.record, (v) => trainedRunSchema.safeParse(v)),
    trainedPath,
  );

  const weightsPath = join(runFolder, 'weights.safetensors');
  const size = await sizeOf(files, weightsPath);
  if (size === null) throw new ImportRefused(`${weightsPath}: missing (did train.py finish?)`);
  if (size > MAX_CHECKPOINT_BYTES) throw new ImportRefused(`${weightsPath}: larger than a checkpoint may be`);
  let decoded;
  try {
    decoded = decodeSafetensors(await files.readFile(weightsPath));
  } catch (error) {
    throw new ImportRefused(`${weightsPath}: ${(error as Error).message}`);
  }
  const byName = new Map(decoded.tensors.map((t) => [t.name, t]));
  const index: CheckpointIndex = {
    format: 1,
    epoch: 0,
    globalStep: 0,
    valLoss: Number.NaN,
    weights: [],
    optimizer: [],
  };
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const [i, expected] of manifest.weights.entries()) {
    const tensor = byName.get(expected.name);
    if (!tensor) throw new ImportRefused(`${weightsPath}: no weight ${expected.name}`);
    if (tensor.dtype !== 'F32' || tensor.shape.join() !== expected.shape.join()) {
      throw new ImportRefused(
        `${weightsPath}: ${expected.name} is ${tensor.dtype} [${tensor.shape}], the model's is F32 [${expected.shape}]`,
      );
    }
    const bytes = new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
    index.weights.push({ name: `${i}:${expected.name}`, shape: expected.shape, dtype: 'float32', offset });
    parts.push(bytes);
    offset += bytes.length;
  }

  // The events, checked one by one; a record that fails its checksum or schema is left out, as the store does.
  // train.py's 'started' events name PyTorch, not a workbench backend: what trained the run is in its record.
  const events: TrainEvent[] = [];
  const logPath = join(runFolder, 'metrics.log');
  if ((await sizeOf(files, logPath)) === null) throw new ImportRefused(`${logPath}: missing`);
  await streamMetricsLog(files, logPath, RECORD_LIMITS.metricsLine, (record) => {
    if ((record as { type?: unknown }).type === 'started') return;
    const event = trainEventSchema.safeParse(record);
    if (event.success) events.push(event.data);
  });
  const epochs = events.filter((e) => e.type === 'epoch').map((e) => (e.type === 'epoch' ? e.epoch : 0));
  const steps = events.map((e) => (e.type === 'progress' ? e.globalStep : 0));
  index.epoch = Math.min(10_000, Math.max(0, ...epochs));
  index.globalStep = Math.max(0, ...steps);

  const now = new Date();
  const runId = newRunId(now);
  const status = trained.status === 'running' ? 'interrupted' : trained.status;
  const record: RunRecord = {
    id: runId,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    status,
    origin: 'import',
    trainedBy: trained.backend.name,
    datasetId: manifest.datasetId,
    presetId: manifest.presetId,
    spec: manifest.spec,
    hyperParams: {
      ...manifest.hyperParams,
      ...(trained.hyperParams?.epochs ? { epochs: trained.hyperParams.epochs } : {}),
    },
    ...(manifest.tokenizer ? { tokenizer: manifest.tokenizer } : {}),
    ...(trained.startedAt ? { startedAt: trained.startedAt } : {}),
    ...(trained.finishedAt ? { finishedAt: trained.finishedAt } : {}),
    ...(trained.test ? { test: trained.test } : {}),
    ...(trained.best ? { best: trained.best } : {}),
  };
  await store.create(record);
  try {
    for (const event of events) await store.append(runId, { ...event, runId } as TrainEvent);
    await store.artifacts.saveCheckpoint(runId, 'final', index, parts);
    await store.update(runId, { status });
  } catch (error) {
    await store.release(runId).catch(() => undefined);
    await store.remove(runId).catch(() => undefined);
    throw error;
  }
  await store.release(runId);
  return { record: await store.record(runId), manifest };
}
