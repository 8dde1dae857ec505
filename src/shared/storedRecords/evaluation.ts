import { z } from 'zod';
import type { RunEvaluation } from '../evaluation/runEvaluation';
import { taskSchema } from '../architecture/modelSpec';
import { storedCount, storedNumber } from './storedNumber';

const scores = { precision: storedNumber, recall: storedNumber, f1: storedNumber };
const MAX_CLASSES = 100_000;

/** evaluation.json: the test report written when a run's training ended. */
export const evaluationSchema = z.object({
  task: taskSchema,
  examples: storedCount(Number.MAX_SAFE_INTEGER),
  classNames: z.array(z.string().max(10_000)).max(MAX_CLASSES),
  confusion: z
    .array(z.array(storedCount(Number.MAX_SAFE_INTEGER)).max(4096))
    .max(4096)
    .nullable(),
  classes: z
    .array(z.object({ ...scores, support: storedCount(Number.MAX_SAFE_INTEGER) }))
    .max(MAX_CLASSES)
    .nullable(),
  accuracy: storedNumber,
  macroF1: storedNumber.nullable(),
  entities: z
    .object({
      ...scores,
      types: z.record(z.string().max(1000), z.object({ ...scores, support: storedCount(Number.MAX_SAFE_INTEGER) })),
    })
    .optional(),
  translation: z.object({ exactMatch: storedNumber, bleu: storedNumber, chrF: storedNumber }).optional(),
  mistakes: z
    .array(
      z.object({
        row: storedCount(Number.MAX_SAFE_INTEGER),
        text: z.string().max(1_000_000),
        target: z.string().max(1_000_000),
        predicted: z.string().max(1_000_000),
        trueClass: storedCount(MAX_CLASSES).optional(),
        predictedClass: storedCount(MAX_CLASSES).optional(),
      }),
    )
    .max(10_000),
}) satisfies z.ZodType<RunEvaluation, unknown>;
