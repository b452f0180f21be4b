/**
 * A Temporal worker hosting the generic DAG workflow and the activities it dispatches.
 */
import { createRequire } from 'node:module';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { DEFAULT_TASK_QUEUE } from '@trellis/dag-interpreter';
import { createDataConverter, createPrismaClient, readPayloadKeys } from '@trellis/db';
import { createActivities, type ActivityDependencies } from './activities/index.js';

/** Options of {@link startWorker}. */
export interface WorkerSettings {
  databaseUrl: string;
  /** `host:port` of the Temporal frontend. */
  temporalAddress: string;
  namespace?: string;
  taskQueue?: string;
  /**
   * A prebuilt workflow bundle (`bundleWorkflowCode`); without it the worker bundles the
   * workflow code at start-up, which takes a few seconds.
   */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /**
   * Environment the connectors read, and the payload encryption settings (`TRELLIS_SECRET_KEY`,
   * `TRELLIS_PREVIOUS_SECRET_KEYS`, `TRELLIS_ENCRYPT_PAYLOADS`); defaults to `process.env`.
   */
  env?: ActivityDependencies['env'];
  /** Worker identity shown in Temporal's UI; defaults to `trellis-worker@<pid>`. */
  identity?: string;
  /**
   * Payloads larger than this (bytes, protobuf-encoded) are stored in Postgres by claim check and only
   * a reference goes into workflow history. Default `DEFAULT_CLAIM_CHECK_THRESHOLD_BYTES` (128 KiB).
   * Clients must use the same database's codec to read such payloads.
   */
  claimCheckThresholdBytes?: number;
}

/** A running worker. */
export interface RunningWorker {
  /** Resolves when the worker has stopped; rejects if it crashed. */
  readonly done: Promise<void>;
  /** Stops polling, lets in-flight activities finish (within the grace time), then closes connections. */
  stop(): Promise<void>;
}

/** Absolute path of the workflows module to bundle. */
// createRequire rather than import.meta.resolve: the latter is missing under some loaders (vitest's).
export const workflowsPath = createRequire(import.meta.url).resolve('@trellis/dag-interpreter/workflow');

/** Grace time for in-flight activities on shutdown: 10 s, within docker compose's default stop timeout. */
const SHUTDOWN_GRACE_MS = 10_000;

/**
 * Connects to Temporal and Postgres and starts polling the task queue. Every payload is encrypted and, when
 * large, claim-checked on the same database as the activities (`createDataConverter` of `@trellis/db`).
 * @throws when Temporal is unreachable or the workflow code cannot be bundled; RangeError when
 *   `claimCheckThresholdBytes` is not a positive integer; PayloadEncryptionConfigError when encryption is on and
 *   `TRELLIS_SECRET_KEY` is missing.
 */
export async function startWorker(settings: WorkerSettings): Promise<RunningWorker> {
  const env = settings.env ?? process.env;
  // Both throw on bad settings before any connection exists (Prisma connects on its first query).
  const payloadKeys = readPayloadKeys(env);
  const prisma = createPrismaClient(settings.databaseUrl);
  const dataConverter = createDataConverter({ prisma, claimCheckThresholdBytes: settings.claimCheckThresholdBytes, payloadKeys });
  const connection = await NativeConnection.connect({ address: settings.temporalAddress });
  try {
    const worker = await Worker.create({
      connection,
      namespace: settings.namespace ?? 'default',
      taskQueue: settings.taskQueue ?? DEFAULT_TASK_QUEUE,
      identity: settings.identity ?? `trellis-worker@${process.pid}`,
      ...(settings.workflowBundle ? { workflowBundle: settings.workflowBundle } : { workflowsPath }),
      activities: createActivities({ prisma, env }),
      dataConverter,
      shutdownGraceTime: SHUTDOWN_GRACE_MS,
    });
    const done = worker.run().finally(async () => {
      await connection.close();
      await prisma.$disconnect();
    });
    return {
      done,
      async stop() {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await done;
      },
    };
  } catch (error) {
    await connection.close();
    await prisma.$disconnect();
    throw error;
  }
}
