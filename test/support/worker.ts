/**
 * A real worker, Temporal client and database for one test file.
 */
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import {
  DAG_WORKFLOW_TYPE,
  validateDag,
  type Dag,
  type DagWorkflowInput,
  type DagWorkflowResult,
} from '@trellis/dag-interpreter';
import { nodeTypeCatalogue } from '@trellis/connectors';
import { createClaimCheckCodec } from '@trellis/db';
import { installTemporalRuntime, startWorker, type RunningWorker } from '@trellis/worker';
import { createTestDatabase } from './database.js';

/** Everything a test needs to run DAGs on real Temporal and Postgres. */
export interface Harness {
  /** A Temporal client that reads and writes payloads through {@link Harness.codec}, like the API's. */
  client: Client;
  /** The claim-check codec the worker and `client` use, over `db.prisma`. */
  codec: PayloadCodec;
  db: Awaited<ReturnType<typeof createTestDatabase>>;
  taskQueue: string;
  worker: RunningWorker;
  temporalAddress: string;
  /** Stores an agent and a version of `dag` and returns the version id. */
  createVersion(dag: unknown): Promise<string>;
  /** Starts a run of `dag` directly on Temporal (the API's job, minus the API). */
  start(dag: unknown, input?: unknown): Promise<{ runId: string; result: Promise<DagWorkflowResult> }>;
  /** Starts a run and waits for it; resolves `{ runId, output }` or `{ runId, failure }`. */
  run(dag: unknown, input?: unknown): Promise<{ runId: string; output?: unknown; failure?: WorkflowFailedError }>;
  /** Starts a second worker on the same task queue (for crash tests). */
  startWorker(): Promise<RunningWorker>;
  close(): Promise<void>;
}

/** Options of {@link createHarness}. */
export interface HarnessOptions {
  /** Environment the connectors read; default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Claim-check threshold (bytes) of the worker and the client; default 128 KiB. */
  claimCheckThresholdBytes?: number;
}

export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  installTemporalRuntime();
  const temporalAddress = inject('temporalAddress');
  const workflowBundlePath = inject('workflowBundlePath');
  const db = await createTestDatabase();
  const taskQueue = `test-${randomUUID()}`;
  const connection = await Connection.connect({ address: temporalAddress });
  const codec = createClaimCheckCodec({ prisma: db.prisma, thresholdBytes: options.claimCheckThresholdBytes });
  const client = new Client({ connection, dataConverter: { payloadCodecs: [codec] } });
  const launch = () =>
    startWorker({
      databaseUrl: db.url,
      temporalAddress,
      taskQueue,
      workflowBundle: { codePath: workflowBundlePath },
      env: options.env ?? process.env,
      claimCheckThresholdBytes: options.claimCheckThresholdBytes,
    });
  const workers = [await launch()];

  const createVersion = async (dag: unknown) => {
    const agent = await db.prisma.agent.create({ data: { name: `agent-${randomUUID()}` } });
    const version = await db.prisma.agentVersion.create({
      data: { agentId: agent.id, version: 1, dag: dag as object },
    });
    await db.prisma.agent.update({ where: { id: agent.id }, data: { liveVersionId: version.id } });
    return version.id;
  };

  const start: Harness['start'] = async (raw, input = {}) => {
    const dag = checkedDag(raw);
    const runId = randomUUID();
    const args: DagWorkflowInput = { runId, agentVersionId: await createVersion(dag), dag, input };
    const handle = await client.workflow.start(DAG_WORKFLOW_TYPE, { workflowId: runId, taskQueue, args: [args] });
    return { runId, result: handle.result() as Promise<DagWorkflowResult> };
  };

  return {
    client,
    codec,
    db,
    taskQueue,
    worker: workers[0],
    temporalAddress,
    createVersion,
    start,
    async run(dag, input) {
      const { runId, result } = await start(dag, input);
      try {
        return { runId, output: (await result).output };
      } catch (error) {
        if (error instanceof WorkflowFailedError) return { runId, failure: error };
        throw error;
      }
    },
    async startWorker() {
      const worker = await launch();
      workers.push(worker);
      return worker;
    },
    async close() {
      await Promise.allSettled(workers.map((worker) => worker.stop()));
      await connection.close();
      await db.drop();
    },
  };
}

const catalogue = nodeTypeCatalogue();

/** Validates a test DAG as the API would, and returns it with defaults applied. */
export function checkedDag(raw: unknown): Dag {
  const result = validateDag(raw, { catalogue });
  if (!result.ok) throw new Error(`invalid test DAG: ${JSON.stringify(result.issues)}`);
  return result.dag;
}

/** The persisted node rows of a run, keyed by node id. */
export async function nodeRows(harness: Harness, runId: string) {
  const rows = await harness.db.prisma.nodeRun.findMany({ where: { runId } });
  return Object.fromEntries(rows.map((row) => [row.nodeId, row]));
}

export { eventually } from './eventually.js';
