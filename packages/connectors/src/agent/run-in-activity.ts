/** The try/catch every connector-backed activity shares: context from Temporal, failures as ApplicationFailures. */
import { Context } from '@temporalio/activity';
import type { ConnectorContext } from '../connector.js';
import { toApplicationFailure } from '../failure.js';

/**
 * Runs `work` with a {@link ConnectorContext} built from the current Temporal activity (attempt, cancellation
 * signal, heartbeat) and `env`. Must be called inside a Temporal activity (it reads `Context.current()`).
 *
 * @throws ApplicationFailure for every failure of `work`, via `toApplicationFailure` (type, retryability and
 *   retry delay from the ConnectorError; details `[{ attempt, data }]`). When the activity is cancelled, the
 *   cancellation is rethrown as is, since Temporal reports a cancelled activity only when it ends with it.
 */
export async function runInActivity<T>(
  ids: { runId: string; nodeId: string },
  env: Record<string, string | undefined>,
  work: (context: ConnectorContext) => Promise<T>,
): Promise<T> {
  const activity = Context.current();
  const { attempt } = activity.info;
  try {
    return await work({
      runId: ids.runId,
      nodeId: ids.nodeId,
      attempt,
      signal: activity.cancellationSignal,
      env,
      heartbeat: (details?: unknown) => activity.heartbeat(details),
    });
  } catch (error) {
    if (activity.cancellationSignal.aborted) throw activity.cancellationSignal.reason;
    throw toApplicationFailure(error, attempt);
  }
}
