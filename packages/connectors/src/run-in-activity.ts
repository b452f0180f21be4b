/**
 * What every connector-backed activity shares: the context from Temporal, the node's secrets resolved at the
 * moment of use, one outbound session per attempt, and redaction of those secrets from whatever leaves.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { heartbeatIntervalMs } from '@trellis/dag-interpreter';
import type { ConnectorContext } from './connector.js';
import type { Outbound } from './egress/outbound.js';
import { ConnectorError } from './errors.js';
import { toApplicationFailure } from './failure.js';
import { redactorOf, type Redactor } from './secrets/redact.js';
import { resolveNodeSecrets, type SecretBearing } from './secrets/node-secrets.js';
import type { SecretSource } from './secrets/secret-source.js';

/** The worker-wide dependencies of the connector activities. */
export interface ActivityRuntime {
  /** The egress policy every request goes through. */
  outbound: Outbound;
  /** The vault; without it, a node that references a secret fails with `ConfigError`. */
  secrets?: SecretSource;
  /**
   * The environment a run's connectors read (provider keys, base URLs), by workspace: the worker gives the
   * provider keys of its own environment to one workspace only.
   */
  envFor(workspaceId: string | undefined): Promise<Record<string, string | undefined>>;
}

/** The run and node an activity request belongs to. */
export interface ActivityIds {
  runId: string;
  nodeId: string;
  workspaceId?: string;
  /** Set for the requests a node makes besides its own: its saga step (`compensate`) or an approval's escalation (`escalate`). */
  phase?: 'compensate' | 'escalate';
}

/**
 * Runs `work` inside the current Temporal activity (it reads `Context.current()`): resolves the secrets
 * `bearing` references, opens an outbound session holding them, and hands `work` the context and `bearing`'s
 * value with the secrets substituted. The result, and the message, data and stack of any failure, are
 * redacted of those secrets (`[REDACTED:NAME]`) before they leave. While `work` runs, the attempt heartbeats
 * every third of its heartbeat timeout (when it has one), so Temporal retries it soon after its worker dies
 * and delivers a cancellation at the next heartbeat.
 *
 * @throws ApplicationFailure for every failure, via `toApplicationFailure` (type, retryability and retry delay
 *   from the ConnectorError; details `[{ attempt, data }]`). When the activity is cancelled, the cancellation
 *   is rethrown as is, since Temporal reports a cancelled activity only when it ends with it.
 */
export async function runInActivity<T>(
  ids: ActivityIds,
  runtime: ActivityRuntime,
  bearing: SecretBearing,
  work: (context: ConnectorContext, resolved: unknown) => Promise<T>,
): Promise<T> {
  const activity = Context.current();
  const { attempt } = activity.info;
  let redactor: Redactor = redactorOf([]);
  const timeoutMs = activity.info.heartbeatTimeoutMs;
  const beating = timeoutMs ? setInterval(() => activity.heartbeat(), heartbeatIntervalMs(timeoutMs)) : undefined;
  try {
    const env = await runtime.envFor(ids.workspaceId);
    const { value, secrets } = await resolveNodeSecrets(bearing, ids, runtime.secrets);
    redactor = redactorOf(secrets);
    const outbound = runtime.outbound.open(secrets);
    try {
      const context: ConnectorContext = {
        runId: ids.runId,
        nodeId: ids.nodeId,
        attempt,
        signal: activity.cancellationSignal,
        env,
        outbound,
        idempotencyKey: idempotencyKeyOf(ids),
        heartbeat: (details?: unknown) => activity.heartbeat(details),
      };
      return redactor.value(await work(context, value));
    } finally {
      await outbound.close();
    }
  } catch (error) {
    if (activity.cancellationSignal.aborted) throw activity.cancellationSignal.reason;
    throw toApplicationFailure(redactedError(error, redactor), attempt);
  } finally {
    clearInterval(beating);
  }
}

/** `trellis-<run id>-<node id>[-<phase>]`: the same on every attempt, distinct per node and per kind of request. */
function idempotencyKeyOf(ids: ActivityIds): string {
  return `trellis-${ids.runId}-${ids.nodeId}${ids.phase ? `-${ids.phase}` : ''}`;
}

/** `error` with its message, data and stack redacted; the cause is left behind (it may quote a secret). */
function redactedError(error: unknown, redactor: Redactor): unknown {
  if (!(error instanceof Error)) return redactor.text(String(error));
  if (error instanceof ApplicationFailure) {
    const failure = ApplicationFailure.create({
      message: redactor.text(error.message),
      type: error.type ?? undefined,
      nonRetryable: error.nonRetryable ?? undefined,
      details: redactor.value(error.details ?? undefined),
      nextRetryDelay: error.nextRetryDelay,
    });
    failure.stack = error.stack === undefined ? undefined : redactor.text(error.stack);
    return failure;
  }
  const copy =
    error instanceof ConnectorError
      ? new ConnectorError({
          type: error.type,
          message: redactor.text(error.message),
          retryable: error.retryable,
          data: redactor.value(error.data),
          retryAfterMs: error.retryAfterMs,
        })
      : new Error(redactor.text(error.message));
  copy.stack = error.stack === undefined ? undefined : redactor.text(error.stack);
  return copy;
}
