import { z } from 'zod';
import type { ComparisonRecord } from '../comparison';
import { RUN_ID_PATTERN } from '../runLayout';
import { storedCount, storedTimestamp } from './storedNumber';

export const COMPARISON_ID_PATTERN = /^cmp-[0-9a-f]{12}$/;

/** comparisons/<id>.json; like a run, a comparison is named by its file, never by the id inside it. */
export const comparisonRecordSchema = z.object({
  id: z.string().optional(),
  createdAt: storedTimestamp,
  datasetId: z.string().min(1).max(200),
  attentionRunId: z.string().regex(RUN_ID_PATTERN),
  baselineRunId: z.string().regex(RUN_ID_PATTERN),
  baselineHidden: storedCount(1_000_000_000),
});

export function parseComparisonRecord(
  value: unknown,
  id: string,
): { success: true; data: ComparisonRecord } | { success: false; error: z.ZodError } {
  const parsed = comparisonRecordSchema.safeParse(value);
  return parsed.success ? { success: true, data: { ...parsed.data, id } } : parsed;
}
