import { z } from 'zod';
import type { TrainEvent } from '../events';
import { hyperParamsSchema } from '../hyperParams';
import { storedCount, storedNumber } from './storedNumber';
import { attentionEventSchema } from './attentionSnapshot';
import { backendReportSchema } from './backendReport';

// The store sets each event's run from the folder it was read from; the field itself is only checked to be text.
const runId = z.string();
const position = storedCount(Number.MAX_SAFE_INTEGER);
const label = z.string().max(10_000);

const startedSchema = z.object({
  type: z.literal('started'),
  runId,
  backend: backendReportSchema,
  datasetId: z.string().max(200),
  presetId: z.string().max(200).nullable(),
  modelName: z.string().max(200),
  hyperParams: hyperParamsSchema,
  parameterCount: position,
  classNames: z.array(label).max(100_000),
  split: z.object({ train: position, validation: position, test: position }),
  stepsPerEpoch: position,
  resumedFrom: z.object({ epoch: position, globalStep: position }).optional(),
  notice: z.string().max(4000).optional(),
});

const progressSchema = z.object({
  type: z.literal('progress'),
  runId,
  epoch: position,
  step: position,
  globalStep: position,
  loss: storedNumber,
  samplesPerSecond: storedNumber,
  learningRate: storedNumber.optional(),
});

const epochSchema = z.object({
  type: z.literal('epoch'),
  runId,
  epoch: position,
  loss: storedNumber,
  accuracy: storedNumber,
  valLoss: storedNumber,
  valAccuracy: storedNumber,
  seconds: storedNumber,
});

const pausedSchema = z.object({ type: z.literal('paused'), runId, paused: z.boolean() });

const finishedSchema = z.object({
  type: z.literal('finished'),
  runId,
  status: z.enum(['completed', 'stopped', 'failed']),
  reason: z.string().max(20_000).optional(),
  epochs: position,
  test: z.object({ loss: storedNumber, accuracy: storedNumber, exactMatch: storedNumber.optional() }).optional(),
});

/** One record of a run's metrics log (or any TrainEvent read back from a file). */
export const trainEventSchema: z.ZodType<TrainEvent, unknown> = z.discriminatedUnion('type', [
  startedSchema,
  progressSchema,
  epochSchema,
  attentionEventSchema,
  pausedSchema,
  finishedSchema,
]);
