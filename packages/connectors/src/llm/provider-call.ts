/** How every LLM SDK call leaves the worker: through the node's outbound session, failures classified. */
import type { ConnectorContext } from '../connector.js';
import { refusalError, refusalOf } from '../request.js';

/**
 * Runs `call` (one SDK request) inside `context.outbound`, so the SDK's own `fetch` passes the egress checks.
 *
 * @param where - the provider and base URL, for the refusal message
 * @param mapError - the SDK's error mapping (`mapOpenAiError`, `mapGeminiError`)
 * @throws ConnectorError `EgressBlocked` / `SecretHostNotAllowed` (not retryable) when the session refused the
 *   connection, whatever the SDK made of it; otherwise what `mapError` returns.
 * @throws the `context.signal` abort reason when cancelled.
 */
export async function callProvider<T>(
  context: ConnectorContext,
  where: string,
  call: () => Promise<T>,
  mapError: (error: unknown, signal: AbortSignal) => unknown,
): Promise<T> {
  try {
    return await context.outbound.run(call);
  } catch (error) {
    if (context.signal.aborted) throw context.signal.reason;
    const refusal = context.outbound.refusal ?? refusalOf(error);
    if (refusal) throw refusalError(refusal, where);
    throw mapError(error, context.signal);
  }
}
