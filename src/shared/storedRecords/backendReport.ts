import { z } from 'zod';
import { BACKEND_ORDER } from '../backends';

/** Which backend trained a run, and why each faster one was not used. */
export const backendReportSchema = z.object({
  name: z.enum(BACKEND_ORDER),
  skipped: z.array(z.object({ name: z.enum(BACKEND_ORDER), reason: z.string().max(4000) })).max(16),
});
