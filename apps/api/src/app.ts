import { registerCodecCors } from './modules/codec/codec-cors.js';
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import { DEFAULT_TASK_QUEUE } from '@trellis/dag-interpreter';
import { DEFAULT_CLAIM_CHECK_THRESHOLD_BYTES } from '@trellis/db';
import type { Logger } from 'pino';
import { AppModule } from './app.module.js';
import { DEFAULT_RUN_RECONCILE_INTERVAL_MS, payloadKeysOf } from './infrastructure/config/api-config.js';
import { createLogger, PinoNestLogger } from './infrastructure/logging/logger.js';
import { registerWebhookBodyReader } from './modules/webhooks/webhook-body-reader.js';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { registerBodyParsers } from './common/rest/body-parsers.js';
import { registerWebApp } from './common/rest/web-app.js';
import { type ApiLimits, DEFAULT_API_LIMITS } from './infrastructure/config/api-limits.js';

/** Options of {@link createApi}. */
export interface CreateApiOptions {
  /** Postgres connection URL. */
  databaseUrl: string;
  /** Temporal frontend, `host:port`. Not contacted at startup: `/healthz` reports it. */
  temporalAddress: string;
  /** Temporal namespace; default `default`. */
  namespace?: string;
  /** Task queue of the DAG workflow; default `DEFAULT_TASK_QUEUE` (`trellis`). */
  taskQueue?: string;
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to bind; default `127.0.0.1`. */
  host?: string;
  /** Logger to use; default a JSON pino logger at `LOG_LEVEL` (default `info`). */
  logger?: Logger;
  /**
   * Payloads larger than this (bytes) go to Temporal by claim check (stored in the database's `payloads`
   * table); default `DEFAULT_CLAIM_CHECK_THRESHOLD_BYTES` (128 KiB) of `@trellis/db`.
   */
  claimCheckThresholdBytes?: number;
  /** Key of the API's HMAC-signed links (`TRELLIS_SECRET_KEY`); default a random key per process. */
  secretKey?: string;
  /** Retired secret keys that still open vault data keys and payloads (`TRELLIS_PREVIOUS_SECRET_KEYS`); default none. */
  previousSecretKeys?: string[];
  /**
   * Encrypt Temporal payloads with a key derived from `secretKey` (`TRELLIS_ENCRYPT_PAYLOADS`); default true,
   * which needs `secretKey`. The worker must use the same setting and keys.
   */
  encryptPayloads?: boolean;
  /** Base URL of the API in links people receive (`TRELLIS_PUBLIC_URL`); default `http://localhost:<port>`. */
  publicUrl?: string;
  /**
   * Time between two passes of the run reconciler (ms; `TRELLIS_RUN_RECONCILE_INTERVAL_MS`); default
   * `DEFAULT_RUN_RECONCILE_INTERVAL_MS` (one minute).
   */
  runReconcileIntervalMs?: number;
  /**
   * How long a RUNNING or WAITING run must go without an update before the reconciler looks at it (ms);
   * default `RUN_RECONCILE_GRACE_MS` (30 s). For tests.
   */
  runReconcileGraceMs?: number;
  /** An OWNER API key to make sure exists (`TRELLIS_BOOTSTRAP_API_KEY`); see `ApiConfig.bootstrapApiKey`. */
  bootstrapApiKey?: string;
  /** Request, query and rate limits; each one left out keeps its default (`DEFAULT_API_LIMITS`). */
  limits?: Partial<ApiLimits>;
  /**
   * The built dashboard to serve at `/` (`TRELLIS_WEB_DIST`); default `apps/web/dist` of this checkout,
   * served when it was built; null serves none.
   */
  webDist?: string | null;
  /** Base URL of the Temporal UI, for `Run.temporalUiUrl` (`TRELLIS_TEMPORAL_UI_URL`); default none. */
  temporalUiUrl?: string;
}

/** A running API. */
export interface RunningApi {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** `http://127.0.0.1:<port>/graphql`. */
  graphqlUrl: string;
  /** Stops accepting requests, then closes the Postgres pool and the Temporal connection. */
  close(): Promise<void>;
}

/**
 * Starts the HTTP server: GraphQL at `/graphql` and `GET /healthz`.
 *
 * @throws ConfigurationError when payload encryption is on (the default) without `secretKey`.
 * @throws when the port cannot be bound or the Nest application fails to initialise (RangeError from the
 *   claim-check codec when `claimCheckThresholdBytes` is not a positive integer)
 */
export async function createApi(options: CreateApiOptions): Promise<RunningApi> {
  const logger = options.logger ?? createLogger();
  const config = {
    databaseUrl: options.databaseUrl,
    temporalAddress: options.temporalAddress,
    temporalNamespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue ?? DEFAULT_TASK_QUEUE,
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    claimCheckThresholdBytes: options.claimCheckThresholdBytes ?? DEFAULT_CLAIM_CHECK_THRESHOLD_BYTES,
    secretKey: options.secretKey,
    previousSecretKeys: options.previousSecretKeys,
    payloadKeys: payloadKeysOf(options.secretKey, options.previousSecretKeys, options.encryptPayloads ?? true),
    publicUrl: options.publicUrl,
    runReconcileIntervalMs: options.runReconcileIntervalMs ?? DEFAULT_RUN_RECONCILE_INTERVAL_MS,
    runReconcileGraceMs: options.runReconcileGraceMs,
    bootstrapApiKey: options.bootstrapApiKey,
    limits: { ...DEFAULT_API_LIMITS, ...options.limits },
    temporalUiUrl: options.temporalUiUrl?.replace(/\/+$/, ''),
  };
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, logger), {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
    // Registered below, with the body limit and its JSON answer.
    bodyParser: false,
  });
  // Before `listen` initialises the app, so `/hooks` bodies are read raw (for signatures) ahead of the JSON parser.
  registerWebhookBodyReader(app);
  registerCodecCors(app, config.temporalUiUrl);
  registerBodyParsers(app, config.limits.maxRequestBytes);
  if (options.webDist !== null && registerWebApp(app, options.webDist)) logger.info('serving the dashboard at /');
  try {
    await app.listen(config.port, config.host);
  } catch (error) {
    await app.close();
    throw error;
  }
  const { port } = app.getHttpServer().address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    graphqlUrl: `${url}/graphql`,
    close: () => app.close(),
  };
}
