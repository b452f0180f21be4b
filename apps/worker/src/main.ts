/**
 * Worker process entry point. Configuration comes from the environment:
 * DATABASE_URL (required), TEMPORAL_ADDRESS (default 127.0.0.1:7233), TEMPORAL_NAMESPACE
 * (default `default`), TEMPORAL_TASK_QUEUE (default `trellis`), TRELLIS_WORKFLOW_BUNDLE (optional
 * path of a prebuilt workflow bundle), TRELLIS_CLAIM_CHECK_THRESHOLD_BYTES (optional, default 131072:
 * larger payloads are stored in Postgres by claim check), plus the connectors' keys and base URLs.
 * SIGINT/SIGTERM shut it down gracefully (the Temporal runtime handles both signals).
 */
import { readClaimCheckThreshold } from '@trellis/db';
import { startTelemetry } from './telemetry.js';
import { logger } from './logger.js';
import { installTemporalRuntime } from './runtime.js';
import { startWorker } from './worker.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  logger.fatal('DATABASE_URL is not set: the worker records run state in Postgres');
  process.exit(1);
}

let claimCheckThresholdBytes: number;
try {
  claimCheckThresholdBytes = readClaimCheckThreshold(process.env);
} catch (error) {
  logger.fatal((error as Error).message);
  process.exit(1);
}

installTemporalRuntime(temporalLogLevel(process.env.TEMPORAL_LOG_LEVEL));
const telemetry = startTelemetry();
const bundlePath = process.env.TRELLIS_WORKFLOW_BUNDLE;
const worker = await startWorker({
  databaseUrl,
  temporalAddress: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
  namespace: process.env.TEMPORAL_NAMESPACE,
  taskQueue: process.env.TEMPORAL_TASK_QUEUE,
  workflowBundle: bundlePath ? { codePath: bundlePath } : undefined,
  claimCheckThresholdBytes,
});
logger.info({ taskQueue: process.env.TEMPORAL_TASK_QUEUE ?? 'trellis', pid: process.pid }, 'worker started');
try {
  await worker.done;
  logger.info('worker stopped');
} finally {
  await telemetry?.shutdown();
}

/** TEMPORAL_LOG_LEVEL: the SDK's own log level (TRACE, DEBUG, INFO, WARN, ERROR); default WARN. */
function temporalLogLevel(value: string | undefined): 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' {
  const level = (value ?? 'WARN').toUpperCase();
  return (['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const).find((known) => known === level) ?? 'WARN';
}
