import { z } from 'zod';

/**
 * A number as the app writes it to a JSON file: JSON has no NaN or Infinity, so JSON.stringify writes them as null
 * (a diverged loss, the final checkpoint's validation loss). Read back as NaN.
 */
export const storedNumber = z
  .number()
  .nullable()
  .transform((value) => value ?? Number.NaN);

/** A count or position in a file: a whole number, bounded so that no loop or allocation it drives is unbounded. */
export const storedCount = (max: number) => z.number().int().min(0).max(max);

/** A timestamp as the app writes it (Date.toISOString), checked so that sorting by it cannot fail. */
export const storedTimestamp = z
  .string()
  .max(40)
  .refine((text) => !Number.isNaN(Date.parse(text)), 'not a date');

/** The first thing wrong with a record, as "field.path: message", for a damaged-record line. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}
