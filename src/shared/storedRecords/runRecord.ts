import { z } from 'zod';
import { backendReportSchema } from './backendReport';
import { RUN_STATUSES } from '../events';
import { hyperParamsSchema } from '../hyperParams';
import type { RunRecord } from '../runs';
import { RUN_ID_PATTERN } from '../runLayout';
import { modelSpecSchema } from '../architecture/modelSpec';
import { tokenizerSettingsSchema } from '../tokenizerSettings';
import { storedCount, storedNumber, storedTimestamp } from './storedNumber';

const testFiguresSchema = z.object({
  loss: storedNumber,
  accuracy: storedNumber,
  exactMatch: storedNumber.optional(),
});

/**
 * run.json as read back from disk. The `id` written inside is ignored: a run's identity is its folder's name, which
 * the store sets after parsing (a file saying "id": "../../x" must not steer a write).
 */
export const runRecordSchema = z.object({
  id: z.string().optional(),
  createdAt: storedTimestamp,
  updatedAt: storedTimestamp,
  status: z.enum(RUN_STATUSES),
  reason: z.string().max(20_000).optional(),
  datasetId: z.string().min(1).max(200),
  presetId: z.string().min(1).max(200).nullable(),
  spec: modelSpecSchema,
  hyperParams: hyperParamsSchema,
  backend: backendReportSchema.optional(),
  parameterCount: storedCount(Number.MAX_SAFE_INTEGER).optional(),
  test: testFiguresSchema.optional(),
  origin: z.enum(['app', 'cli', 'import']).optional(),
  trainedBy: z.string().max(200).optional(),
  startedAt: storedTimestamp.optional(),
  finishedAt: storedTimestamp.optional(),
  tokenizer: tokenizerSettingsSchema.optional(),
  initFromRun: z.string().regex(RUN_ID_PATTERN).optional(),
  name: z.string().max(200).optional(),
  tags: z.array(z.string().max(40)).max(20).optional(),
  best: z.object({ epoch: storedCount(1_000_000), valLoss: storedNumber, valAccuracy: storedNumber }).optional(),
});

/** Parses a run.json's JSON value; the record takes `runId` (its folder's name) as its id. */
export function parseRunRecord(
  value: unknown,
  runId: string,
): { success: true; data: RunRecord } | { success: false; error: z.ZodError } {
  const parsed = runRecordSchema.safeParse(value);
  return parsed.success ? { success: true, data: { ...parsed.data, id: runId } } : parsed;
}
