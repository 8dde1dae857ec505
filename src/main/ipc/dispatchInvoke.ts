import { invokeContract } from '../../shared/ipc';
import { isInvokeChannel, type InvokeResult } from '../../shared/channels';
import type { InvokeHandlers } from '../services/invokeHandlers';

/** The schema's first complaint, as "field: problem", so that the caller learns what to fix. */
function describeIssues(issues: { path: PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 3)
    .map((issue) => (issue.path.length ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

/**
 * The one entry for every invoke, whatever the transport: checks the channel, validates the request against its
 * schema, runs the handler, and wraps the outcome in an envelope so that errors arrive as messages.
 */
export async function dispatchInvoke(
  handlers: InvokeHandlers,
  channel: unknown,
  request: unknown,
): Promise<InvokeResult<unknown>> {
  if (!isInvokeChannel(channel)) return { ok: false, error: `unknown channel ${JSON.stringify(channel)}` };
  const parsed = invokeContract[channel].request.safeParse(request ?? {});
  if (!parsed.success) {
    return { ok: false, error: `invalid ${channel} request: ${describeIssues(parsed.error.issues)}` };
  }
  try {
    const handler = handlers[channel] as (request: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
