import { DEFAULT_TASK_QUEUE } from '@trellis/dag-interpreter';
import { readClaimCheckThreshold } from '@trellis/db';

/** Everything the API needs to run, resolved from options or the environment. */
export interface ApiConfig {
  /** Postgres connection URL. */
  databaseUrl: string;
  /** Temporal frontend address, `host:port`. */
  temporalAddress: string;
  temporalNamespace: string;
  /** Task queue the generic DAG workflow is started on; must match the worker's. */
  taskQueue: string;
  /** TCP port to listen on; 0 picks a free one. */
  port: number;
  /** Interface to bind. */
  host: string;
  /**
   * Payloads larger than this (bytes, protobuf-encoded) that the API sends to Temporal (run inputs, DAGs,
   * signals) are stored in Postgres by claim check. The worker may use another threshold: references are
   * decoded whatever their size, as long as both sides use the same database.
   */
  claimCheckThresholdBytes: number;
}

/** Injection token of the resolved {@link ApiConfig}. */
export const API_CONFIG = Symbol('API_CONFIG');

/** Thrown at startup when the environment cannot produce a valid {@link ApiConfig}. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/**
 * Reads the configuration from environment variables:
 * `DATABASE_URL` (required), `PORT` (default 4000), `HOST` (default `0.0.0.0`),
 * `TEMPORAL_ADDRESS` (default `127.0.0.1:7233`), `TEMPORAL_NAMESPACE` (default `default`),
 * `TEMPORAL_TASK_QUEUE` (default {@link DEFAULT_TASK_QUEUE}), `TRELLIS_CLAIM_CHECK_THRESHOLD_BYTES`
 * (default 131072, see `readClaimCheckThreshold` of `@trellis/db`).
 *
 * @throws ConfigurationError when `DATABASE_URL` is missing, `PORT` is not a port number or the claim-check
 *   threshold is not a positive integer
 */
export function loadApiConfigFromEnv(env: NodeJS.ProcessEnv): ApiConfig {
  const databaseUrl = env.DATABASE_URL?.trim();
  if (!databaseUrl) {
    throw new ConfigurationError('DATABASE_URL is required (for example postgresql://user@127.0.0.1:5432/trellis)');
  }
  const port = Number(env.PORT ?? '4000');
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new ConfigurationError(`PORT must be an integer between 0 and 65535, got "${env.PORT}"`);
  }
  let claimCheckThresholdBytes: number;
  try {
    claimCheckThresholdBytes = readClaimCheckThreshold(env);
  } catch (error) {
    throw new ConfigurationError((error as Error).message);
  }
  return {
    databaseUrl,
    port,
    host: env.HOST?.trim() || '0.0.0.0',
    temporalAddress: env.TEMPORAL_ADDRESS?.trim() || '127.0.0.1:7233',
    temporalNamespace: env.TEMPORAL_NAMESPACE?.trim() || 'default',
    taskQueue: env.TEMPORAL_TASK_QUEUE?.trim() || DEFAULT_TASK_QUEUE,
    claimCheckThresholdBytes,
  };
}
