import { createApi } from './app.js';
import { ConfigurationError, loadApiConfigFromEnv } from './infrastructure/config/api-config.js';
import { createLogger } from './infrastructure/logging/logger.js';

/** Process entry point: configuration from the environment, graceful shutdown on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const logger = createLogger();
  let config;
  try {
    config = loadApiConfigFromEnv(process.env);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      logger.fatal(error.message);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
  const api = await createApi({
    databaseUrl: config.databaseUrl,
    temporalAddress: config.temporalAddress,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
    port: config.port,
    host: config.host,
    claimCheckThresholdBytes: config.claimCheckThresholdBytes,
    secretKey: config.secretKey,
    previousSecretKeys: config.previousSecretKeys,
    encryptPayloads: config.payloadKeys !== null,
    publicUrl: config.publicUrl,
    runReconcileIntervalMs: config.runReconcileIntervalMs,
    bootstrapApiKey: config.bootstrapApiKey,
    limits: config.limits,
    temporalUiUrl: config.temporalUiUrl,
    webDist: process.env.TRELLIS_WEB_DIST?.trim() || undefined,
    logger,
  });
  logger.info({ url: api.url, graphqlUrl: api.graphqlUrl, taskQueue: config.taskQueue }, 'Trellis API listening');

  let closing = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    api.close().then(
      () => logger.info('stopped'),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  createLogger().fatal({ err: error }, 'Trellis API failed to start');
  process.exit(1);
});
