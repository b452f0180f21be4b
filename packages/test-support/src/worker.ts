/**
 * Workers for tests, and the harness most DAG tests use: a real worker, Temporal client and
 * database for one test file, on the shared Temporal server and workflow bundle of the global setup.
 *
 * Every test worker is described by a {@link WorkerTarget} and started one of two ways from it: in
 * this process ({@link startTestWorker}), or in its own OS process ({@link spawnWorkerProcess}) when a
 * test must kill it the way a crashed machine would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
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
import { createDataConverter, readPayloadKeys, type TrellisDataConverter } from '@trellis/db';
import { installTemporalRuntime, startWorker, type RunningWorker } from '@trellis/worker';
import { createTestDatabase, type TestDatabase } from './database.js';
import { testTemporalAddress, testWorkflowBundlePath } from './provided-context.js';

export { testTemporalAddress, testWorkflowBundlePath } from './provided-context.js';
export { searchableText, storedHistory, type StoredPayload } from './history.js';
export type { RunningWorker } from '@trellis/worker';

/**
 * `TRELLIS_SECRET_KEY` of test workers and test APIs that are given none, so the payloads one encrypts the
 * other decrypts. Never used outside tests.
 */
export const TEST_SECRET_KEY = 'trellis-test-secret-key-0123456789abcdef';

/** `env` with {@link TEST_SECRET_KEY} when it sets neither a key nor `TRELLIS_ENCRYPT_PAYLOADS`. */
export function withTestSecretKey(env: Record<string, string | undefined>): Record<string, string | undefined> {
  return env.TRELLIS_SECRET_KEY || env.TRELLIS_ENCRYPT_PAYLOADS ? env : { ...env, TRELLIS_SECRET_KEY: TEST_SECRET_KEY };
}

/**
 * The data converter of a client reading what test workers write: the workers' codecs (encryption with the key
 * of `options.env`, else {@link TEST_SECRET_KEY}; claim check over `prisma`).
 */
export function testDataConverter(prisma: TestDatabase['prisma'], options: { env?: Record<string, string | undefined>; claimCheckThresholdBytes?: number } = {}): TrellisDataConverter {
  return createDataConverter({
    prisma,
    claimCheckThresholdBytes: options.claimCheckThresholdBytes,
    payloadKeys: readPayloadKeys(withTestSecretKey(options.env ?? process.env)),
  });
}

/** Where a test worker works. A {@link Harness} is one. */
export interface WorkerTarget {
  /** `postgresql://` URL of the database its activities write. */
  databaseUrl: string;
  /** `host:port` of the Temporal frontend. */
  temporalAddress: string;
  /** The task queue it polls (namespace `default`). */
  taskQueue: string;
}

/** Options of {@link startTestWorker}. */
export interface TestWorkerOptions {
  /** Environment the connectors read; default `process.env`. */
  env?: Record<string, string | undefined>;
  /**
   * The local servers the worker may reach (origins such as a fixture's `url`, or `host:port`), added to
   * `TRELLIS_EGRESS_ALLOW`. Loopback is refused like any private address otherwise.
   */
  egressAllow?: readonly string[];
  /** Claim-check threshold (bytes); default the worker's, 128 KiB. */
  claimCheckThresholdBytes?: number;
}

/**
 * Starts a worker in this process on `target`, with the workflow bundle of the global setup (so it
 * starts in well under a second), and installs the Temporal runtime first if nothing did.
 *
 * @returns the running worker; `await worker.stop()` when done (a {@link Harness} stops its own).
 * @throws Error when run without the global setup (no bundle); the worker's errors when Temporal is
 *   unreachable or `claimCheckThresholdBytes` is invalid (RangeError).
 */
export function startTestWorker(target: WorkerTarget, options: TestWorkerOptions = {}): Promise<RunningWorker> {
  installTemporalRuntime();
  return startWorker({
    databaseUrl: target.databaseUrl,
    temporalAddress: target.temporalAddress,
    taskQueue: target.taskQueue,
    workflowBundle: { codePath: testWorkflowBundlePath() },
    env: withTestSecretKey(withEgressAllowed(options.env ?? process.env, options.egressAllow)),
    claimCheckThresholdBytes: options.claimCheckThresholdBytes,
  });
}

/**
 * `env` with `allowed` (origins like `http://127.0.0.1:4010`, or `host:port` entries) appended to its
 * `TRELLIS_EGRESS_ALLOW`, for workers that must reach the test's own servers.
 */
export function withEgressAllowed(env: Record<string, string | undefined>, allowed: readonly string[] = []): Record<string, string | undefined> {
  if (allowed.length === 0) return env;
  const entries = allowed.map((entry) => (/^[a-z]+:\/\//.test(entry) ? new URL(entry).host : entry));
  return { ...env, TRELLIS_EGRESS_ALLOW: [env.TRELLIS_EGRESS_ALLOW, ...entries].filter(Boolean).join(',') };
}

/** The worker's process entry point (`apps/worker/dist/main.js`), next to the package's built index. */
const workerMain = join(dirname(createRequire(import.meta.url).resolve('@trellis/worker')), 'main.js');

/**
 * Starts a worker in its own OS process (`apps/worker/dist/main.js`, which must be built) on `target`,
 * with the global setup's workflow bundle and `LOG_LEVEL=warn`; its output goes to the test's.
 *
 * @param env - added to (or overriding) the environment it reads, e.g. a connector's API key.
 * @param options.output - `inherit` (default): its output goes to the test's; `pipe`: read it from the child's
 *   `stdout` and `stderr` (tests that search the worker's logs).
 * @returns the child process; end it with {@link stopProcess}, or kill it to simulate a crash.
 * @throws Error when run without the global setup (no bundle).
 */
export function spawnWorkerProcess(
  target: WorkerTarget,
  env: Record<string, string | undefined> = {},
  options: { output?: 'inherit' | 'pipe' } = {},
): ChildProcess {
  return spawn(process.execPath, [workerMain], {
    env: {
      ...process.env,
      DATABASE_URL: target.databaseUrl,
      TEMPORAL_ADDRESS: target.temporalAddress,
      TEMPORAL_TASK_QUEUE: target.taskQueue,
      TRELLIS_WORKFLOW_BUNDLE: testWorkflowBundlePath(),
      LOG_LEVEL: 'warn',
      ...withTestSecretKey(env),
    },
    stdio: ['ignore', options.output ?? 'inherit', options.output ?? 'inherit'],
  });
}

/**
 * Sends `signal` (default SIGTERM, a graceful worker shutdown) and resolves once the process has
 * exited; at once if it already had. Never rejects.
 */
export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

/** Everything a test needs to run DAGs on real Temporal and Postgres; see {@link createHarness}. */
export interface Harness extends WorkerTarget {
  /** A Temporal client that reads and writes payloads through {@link Harness.codec}, like the API's. */
  client: Client;
  /** The payload codecs the worker and `client` use (encryption, then claim check over `db.prisma`), as one codec. */
  codec: PayloadCodec;
  /** The harness's own database, dropped by `close()`. */
  db: TestDatabase;
  /** The worker started with the harness; stopping it leaves the task queue without a worker. */
  worker: RunningWorker;
  /** Stores an agent and version 1 of `dag` (as given, not validated), makes it live, and returns the version id. */
  createVersion(dag: unknown): Promise<string>;
  /**
   * Validates `dag` as the API would and starts a run of it directly on Temporal (the API's job, minus
   * the API), with a new run id as workflow id.
   * @returns the run id, and the workflow's result (rejects with `WorkflowFailedError` if the run fails).
   * @throws Error `invalid test DAG: <issues>` when `dag` does not validate.
   */
  start(dag: unknown, input?: unknown): Promise<{ runId: string; result: Promise<DagWorkflowResult> }>;
  /**
   * Like {@link Harness.start}, then waits for the run.
   * @returns `{ runId, output }` when it succeeds, `{ runId, failure }` when the workflow fails.
   * @throws what `start` throws; any error other than `WorkflowFailedError` while waiting.
   */
  run(dag: unknown, input?: unknown): Promise<{ runId: string; output?: unknown; failure?: WorkflowFailedError }>;
  /** Starts another worker in this process on the same task queue, with the harness's options (for crash tests). */
  startWorker(): Promise<RunningWorker>;
  /** Stops every worker it started, closes the client's connection and drops the database. */
  close(): Promise<void>;
}

/** Options of {@link createHarness}. */
export interface HarnessOptions {
  /** Environment the connectors read; default `process.env`. */
  env?: Record<string, string | undefined>;
  /** See {@link TestWorkerOptions.egressAllow}. */
  egressAllow?: readonly string[];
  /** Claim-check threshold (bytes) of the worker and the client; default 128 KiB. */
  claimCheckThresholdBytes?: number;
}

/**
 * Creates a migrated database, a unique task queue on the shared Temporal server, a client and one
 * worker ({@link startTestWorker}) on them. Call it in `beforeAll` and `close()` it in `afterAll`.
 *
 * @throws Error when run without the global setup; the errors of `createTestDatabase` and of the worker.
 */
export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  installTemporalRuntime();
  const temporalAddress = testTemporalAddress();
  const db = await createTestDatabase();
  const taskQueue = `test-${randomUUID()}`;
  const target: WorkerTarget = { databaseUrl: db.url, temporalAddress, taskQueue };
  const connection = await Connection.connect({ address: temporalAddress });
  const dataConverter = testDataConverter(db.prisma, options);
  const client = new Client({ connection, dataConverter });
  const codec = chainOf(dataConverter.payloadCodecs);
  const launch = () => startTestWorker(target, options);
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
    const agentVersionId = await createVersion(dag);
    // As the API does: the run carries its agent's workspace.
    const { workspaceId } = await db.prisma.agentVersion.findUniqueOrThrow({ where: { id: agentVersionId }, select: { workspaceId: true } });
    const args: DagWorkflowInput = { runId, workspaceId, agentVersionId, dag, input };
    const handle = await client.workflow.start(DAG_WORKFLOW_TYPE, { workflowId: runId, taskQueue, args: [args] });
    return { runId, result: handle.result() as Promise<DagWorkflowResult> };
  };

  return {
    ...target,
    client,
    codec,
    db,
    worker: workers[0],
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

/**
 * Validates a test DAG as the API would (the connectors' node-type catalogue) and returns it with
 * defaults applied.
 * @throws Error `invalid test DAG: <issues as JSON>` when it does not validate.
 */
export function checkedDag(raw: unknown): Dag {
  const result = validateDag(raw, { catalogue });
  if (!result.ok) throw new Error(`invalid test DAG: ${JSON.stringify(result.issues)}`);
  return result.dag;
}

/** The stored `node_runs` rows of a run in the harness's database, keyed by node id (absent nodes have no row yet). */
export async function nodeRows(harness: Pick<Harness, 'db'>, runId: string) {
  const rows = await harness.db.prisma.nodeRun.findMany({ where: { runId } });
  return Object.fromEntries(rows.map((row) => [row.nodeId, row]));
}

/** The codecs as one: encode in order, decode in reverse, as Temporal applies them. */
function chainOf(codecs: readonly PayloadCodec[]): PayloadCodec {
  return {
    async encode(payloads) {
      for (const codec of codecs) payloads = await codec.encode(payloads);
      return payloads;
    },
    async decode(payloads) {
      for (const codec of [...codecs].reverse()) payloads = await codec.decode(payloads);
      return payloads;
    },
  };
}
