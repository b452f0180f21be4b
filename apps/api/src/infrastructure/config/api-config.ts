import { DEFAULT_TASK_QUEUE } from '@trellis/dag-interpreter';
import { type PayloadKeys, readClaimCheckThreshold, readPayloadKeys } from '@trellis/db';
import { type ApiLimits, readApiLimits } from './api-limits.js';

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
  /**
   * The API's secret, from `TRELLIS_SECRET_KEY`: it signs approval decision links and encrypts webhook
   * secrets at rest. Every API process behind one URL needs the same key. Absent (development only):
   * decision links use a random key per process, so they stop working when it restarts, and webhook
   * secrets are encrypted with a built-in development key (a warning is logged), because a random key
   * would make stored secrets unreadable after every restart.
   */
  secretKey?: string;
  /** Retired values of `TRELLIS_SECRET_KEY` (`TRELLIS_PREVIOUS_SECRET_KEYS`, comma-separated) that still open vault data keys wrapped before a rotation. */
  previousSecretKeys?: string[];
  /**
   * The keys of Temporal payload encryption, derived from `secretKey` and `previousSecretKeys` (the worker
   * derives the same); null when `TRELLIS_ENCRYPT_PAYLOADS=false`.
   */
  payloadKeys: PayloadKeys | null;
  /**
   * Base URL people reach the API at (no trailing slash), used in links such as approval decision URLs;
   * from `TRELLIS_PUBLIC_URL`. Absent: `http://localhost:<bound port>`.
   */
  publicUrl?: string;
  /**
   * Time between two passes of the run reconciler (ms), which records the outcome of runs whose workflow
   * closed without recording it (terminated, timed out); from `TRELLIS_RUN_RECONCILE_INTERVAL_MS`.
   */
  runReconcileIntervalMs: number;
  /**
   * How long a RUNNING or WAITING run must go without an update before the reconciler asks Temporal about it
   * (ms). Not read from the environment: absent means `RUN_RECONCILE_GRACE_MS` of the reconciler; tests
   * shorten it.
   */
  runReconcileGraceMs?: number;
  /**
   * From `TRELLIS_BOOTSTRAP_API_KEY`: an OWNER API key with exactly this value is made to exist in the first
   * workspace (created when there is none) at every start, for headless deployments, compose files and CI.
   * Any value of at least {@link MIN_BOOTSTRAP_API_KEY_LENGTH} characters, in the `trl_` format or not.
   */
  bootstrapApiKey?: string;
  /** Request, query and rate limits (see {@link ApiLimits}). */
  limits: ApiLimits;
  /**
   * Base URL of the Temporal UI (no trailing slash), from `TRELLIS_TEMPORAL_UI_URL`, for links from a run to
   * its workflow; absent: no links.
   */
  temporalUiUrl?: string;
}

/** Shortest accepted `TRELLIS_BOOTSTRAP_API_KEY`, in characters (as for the secret key: 128 bits in hex). */
export const MIN_BOOTSTRAP_API_KEY_LENGTH = 32;

/** Default of {@link ApiConfig.runReconcileIntervalMs}: one minute. */
export const DEFAULT_RUN_RECONCILE_INTERVAL_MS = 60_000;
/** Shortest accepted `TRELLIS_RUN_RECONCILE_INTERVAL_MS` (ms): each pass describes every open run's workflow. */
export const MIN_RUN_RECONCILE_INTERVAL_MS = 1_000;

/** Shortest accepted `TRELLIS_SECRET_KEY`, in characters: 32 hex digits carry 128 bits. */
export const MIN_SECRET_KEY_LENGTH = 32;

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
 * (default 131072, see `readClaimCheckThreshold` of `@trellis/db`), `TRELLIS_SECRET_KEY` (at least
 * {@link MIN_SECRET_KEY_LENGTH} characters; default a random key per process), `TRELLIS_PUBLIC_URL`
 * (an http(s) URL; default `http://localhost:<port>`), `TRELLIS_RUN_RECONCILE_INTERVAL_MS` (an integer of
 * at least {@link MIN_RUN_RECONCILE_INTERVAL_MS}; default {@link DEFAULT_RUN_RECONCILE_INTERVAL_MS}),
 * `TRELLIS_BOOTSTRAP_API_KEY` (at least {@link MIN_BOOTSTRAP_API_KEY_LENGTH} characters; default none),
 * `TRELLIS_TEMPORAL_UI_URL` (an http(s) URL; default none), `TRELLIS_ENCRYPT_PAYLOADS` (`true`, the default,
 * needs `TRELLIS_SECRET_KEY`; or `false`), and
 * the limits of `readApiLimits`.
 *
 * @throws ConfigurationError when `DATABASE_URL` is missing, `PORT` is not a port number, the claim-check
 *   threshold is not a positive integer, `TRELLIS_SECRET_KEY` is too short, `TRELLIS_PUBLIC_URL` or
 *   `TRELLIS_TEMPORAL_UI_URL` is not an http(s) URL, the reconcile interval is not an integer of at least 1000, the bootstrap key is too short, or payload encryption is on without `TRELLIS_SECRET_KEY`
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
  const secretKey = env.TRELLIS_SECRET_KEY?.trim() || undefined;
  if (secretKey !== undefined && secretKey.length < MIN_SECRET_KEY_LENGTH) {
    throw new ConfigurationError(`TRELLIS_SECRET_KEY must be at least ${MIN_SECRET_KEY_LENGTH} characters (try: openssl rand -hex 32)`);
  }
  const publicUrl = env.TRELLIS_PUBLIC_URL?.trim() || undefined;
  if (publicUrl !== undefined && !/^https?:\/\/[^/]/.test(publicUrl)) {
    throw new ConfigurationError(`TRELLIS_PUBLIC_URL must be an http(s) URL, got "${publicUrl}"`);
  }
  const temporalUiUrl = env.TRELLIS_TEMPORAL_UI_URL?.trim() || undefined;
  if (temporalUiUrl !== undefined && !/^https?:\/\/[^/]/.test(temporalUiUrl)) {
    throw new ConfigurationError(`TRELLIS_TEMPORAL_UI_URL must be an http(s) URL, got "${temporalUiUrl}"`);
  }
  const runReconcileIntervalMs = Number(env.TRELLIS_RUN_RECONCILE_INTERVAL_MS?.trim() || DEFAULT_RUN_RECONCILE_INTERVAL_MS);
  if (!Number.isInteger(runReconcileIntervalMs) || runReconcileIntervalMs < MIN_RUN_RECONCILE_INTERVAL_MS) {
    throw new ConfigurationError(
      `TRELLIS_RUN_RECONCILE_INTERVAL_MS must be an integer of at least ${MIN_RUN_RECONCILE_INTERVAL_MS}, got "${env.TRELLIS_RUN_RECONCILE_INTERVAL_MS}"`,
    );
  }
  const bootstrapApiKey = env.TRELLIS_BOOTSTRAP_API_KEY?.trim() || undefined;
  if (bootstrapApiKey !== undefined && bootstrapApiKey.length < MIN_BOOTSTRAP_API_KEY_LENGTH) {
    throw new ConfigurationError(`TRELLIS_BOOTSTRAP_API_KEY must be at least ${MIN_BOOTSTRAP_API_KEY_LENGTH} characters`);
  }
  const encryptPayloads = readEncryptPayloads(env);
  return {
    databaseUrl,
    port,
    host: env.HOST?.trim() || '0.0.0.0',
    temporalAddress: env.TEMPORAL_ADDRESS?.trim() || '127.0.0.1:7233',
    temporalNamespace: env.TEMPORAL_NAMESPACE?.trim() || 'default',
    taskQueue: env.TEMPORAL_TASK_QUEUE?.trim() || DEFAULT_TASK_QUEUE,
    claimCheckThresholdBytes,
    secretKey,
    payloadKeys: payloadKeysOf(secretKey, previousKeysOf(env), encryptPayloads),
    ...(env.TRELLIS_PREVIOUS_SECRET_KEYS?.trim() && { previousSecretKeys: previousKeysOf(env) }),
    publicUrl: publicUrl?.replace(/\/+$/, ''),
    runReconcileIntervalMs,
    bootstrapApiKey,
    limits: readApiLimits(env),
    temporalUiUrl: temporalUiUrl?.replace(/\/+$/, ''),
  };
}

function previousKeysOf(env: NodeJS.ProcessEnv): string[] | undefined {
  return env.TRELLIS_PREVIOUS_SECRET_KEYS?.split(',').map((key) => key.trim()).filter(Boolean);
}

/**
 * `TRELLIS_ENCRYPT_PAYLOADS`: `true` (default) or `false`.
 * @throws ConfigurationError for another value
 */
function readEncryptPayloads(env: NodeJS.ProcessEnv): boolean {
  const value = env.TRELLIS_ENCRYPT_PAYLOADS?.trim().toLowerCase() || 'true';
  if (value !== 'true' && value !== 'false') throw new ConfigurationError(`TRELLIS_ENCRYPT_PAYLOADS must be "true" or "false", got "${env.TRELLIS_ENCRYPT_PAYLOADS}"`);
  return value === 'true';
}

/**
 * The payload keys of the API, the same the worker derives from the same variables.
 * @throws ConfigurationError when encryption is on and there is no secret key
 */
export function payloadKeysOf(secretKey: string | undefined, previousSecretKeys: string[] | undefined, encryptPayloads: boolean): PayloadKeys | null {
  try {
    return readPayloadKeys({
      TRELLIS_SECRET_KEY: secretKey,
      TRELLIS_PREVIOUS_SECRET_KEYS: previousSecretKeys?.join(','),
      TRELLIS_ENCRYPT_PAYLOADS: String(encryptPayloads),
    });
  } catch (error) {
    throw new ConfigurationError((error as Error).message);
  }
}
