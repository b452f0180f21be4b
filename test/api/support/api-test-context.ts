/**
 * Test helpers for the GraphQL API: a real `createApi` on a free port over a fresh database,
 * a `graphql()` client using fetch, and per-table row counts to prove failed requests store nothing.
 */
import { randomUUID } from 'node:crypto';
import { type Logger, pino } from 'pino';
import { Client, Connection } from '@temporalio/client';
import { type ApiLimits, createApi, generateApiKey, type RunningApi } from '@trellis/api';
import { createTestDatabase, type TestDatabase } from '@trellis/test-support/database';
import { TEST_SECRET_KEY, testTemporalAddress } from '@trellis/test-support/worker';

/** Response data in tests: its shape is checked by assertions, not by the type system. */
export type ResponseData = Record<string, any>;

/** A GraphQL response as sent over the wire. */
export interface GraphqlResponse<T = ResponseData> {
  status: number;
  /** The response's headers, such as `set-cookie` (read all of them with `getSetCookie()`). */
  headers: Headers;
  data?: T | null;
  errors?: {
    message: string;
    path?: (string | number)[];
    extensions?: { code?: string; issues?: { path: string; message: string }[]; [key: string]: unknown };
  }[];
}

export interface ApiTestContext {
  api: RunningApi;
  db: TestDatabase;
  taskQueue: string;
  temporalAddress: string;
  /** POSTs one operation to `/graphql` with {@link TEST_API_KEY}. */
  graphql<T = ResponseData>(query: string, variables?: Record<string, unknown>): Promise<GraphqlResponse<T>>;
  /** POSTs one operation to `/graphql` with exactly these extra headers (no API key unless given). */
  graphqlWith<T = ResponseData>(headers: Record<string, string>, query: string, variables?: Record<string, unknown>): Promise<GraphqlResponse<T>>;
  /** Like {@link graphql} but fails the test on any error, returning `data`. */
  graphqlOk<T = ResponseData>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** Row count of every table, to compare before and after a rejected request. */
  rowCounts(): Promise<Record<string, number>>;
  /** Terminates the workflows of this database's runs, stops the API and drops the database. */
  close(): Promise<void>;
}

/**
 * The OWNER key of every test API (its `TRELLIS_BOOTSTRAP_API_KEY`); each test API has a database of its
 * own, so one value serves them all. `graphql()` and `subscribe()` send it.
 */
export const TEST_API_KEY = 'test-bootstrap-key-0123456789abcdef0123456789';

/** The rate limits of test APIs unless a test asks for others: none on requests, none in practice on run starts. */
export const UNLIMITED_RATES: Partial<ApiLimits> = {
  requestsPerMinute: 0,
  runStartsPerMinute: { plain: 1_000_000, fewAgents: 1_000_000, manyAgents: 1_000_000 },
};

/** How an approval decided with {@link TEST_API_KEY} records who decided (`decidedBy`). */
export const TEST_API_KEY_DECIDER = 'API key bootstrap (TRELLIS_BOOTSTRAP_API_KEY)';

/** The `Authorization` header of {@link TEST_API_KEY}. */
export const TEST_AUTHORIZATION = `Bearer ${TEST_API_KEY}`;

/** The API's logger in tests: errors only (an unexpected INTERNAL_SERVER_ERROR then shows its cause in the test's output); set LOG_LEVEL=info to see more, or silent for none. */
export const testLogger = pino({ level: process.env.LOG_LEVEL ?? 'error' });

/**
 * Starts the API on port 0 against `options.db` (default: a fresh migrated database) and
 * `options.temporalAddress` (default: {@link testTemporalAddress}), on a unique task queue, with the
 * claim-check threshold `options.claimCheckThresholdBytes` (default the API's, 128 KiB) and the run
 * reconciler's `runReconcileIntervalMs` and `runReconcileGraceMs` (default the API's), logging to
 * `options.logger` (default {@link testLogger}).
 */
export async function startTestApi(
  options: {
    db?: TestDatabase;
    temporalAddress?: string;
    taskQueue?: string;
    claimCheckThresholdBytes?: number;
    /**
     * `TRELLIS_SECRET_KEY` of the API; default `TEST_SECRET_KEY`, the test workers' own. null: none, and
     * payload encryption off (as `TRELLIS_ENCRYPT_PAYLOADS=false`).
     */
    secretKey?: string | null;
    /** Time between run reconciler passes (ms); default the API's (one minute). */
    runReconcileIntervalMs?: number;
    /** How long a run goes without updates before the reconciler looks at it (ms); default the API's (30 s). */
    runReconcileGraceMs?: number;
    /** The API's logger; default {@link testLogger}. */
    logger?: Logger;
    /** `TRELLIS_PUBLIC_URL` of the API; default unset. */
    publicUrl?: string;
    /** `TRELLIS_TEMPORAL_UI_URL` of the API; default unset. */
    temporalUiUrl?: string;
    /**
     * Limits of the API; default the API's, except that requests and run starts are not rate-limited
     * ({@link UNLIMITED_RATES}), since tests poll and start runs far faster than people do.
     */
    limits?: Partial<ApiLimits>;
  } = {},
): Promise<ApiTestContext> {
  const db = options.db ?? (await createTestDatabase());
  const temporalAddress = options.temporalAddress ?? testTemporalAddress();
  const taskQueue = options.taskQueue ?? `api-test-${randomUUID()}`;
  const api = await createApi({
    databaseUrl: db.url,
    temporalAddress,
    taskQueue,
    port: 0,
    logger: options.logger ?? testLogger,
    publicUrl: options.publicUrl,
    temporalUiUrl: options.temporalUiUrl,
    claimCheckThresholdBytes: options.claimCheckThresholdBytes,
    secretKey: options.secretKey === null ? undefined : (options.secretKey ?? TEST_SECRET_KEY),
    encryptPayloads: options.secretKey !== null,
    runReconcileIntervalMs: options.runReconcileIntervalMs,
    runReconcileGraceMs: options.runReconcileGraceMs,
    bootstrapApiKey: TEST_API_KEY,
    limits: { ...UNLIMITED_RATES, ...options.limits },
  });

  const graphqlWith = async <T>(headers: Record<string, string>, query: string, variables?: Record<string, unknown>): Promise<GraphqlResponse<T>> => {
    const response = await fetch(api.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, headers: response.headers, ...((await response.json()) as Omit<GraphqlResponse<T>, 'status' | 'headers'>) };
  };
  const graphql = <T>(query: string, variables?: Record<string, unknown>) =>
    graphqlWith<T>({ authorization: TEST_AUTHORIZATION }, query, variables);

  return {
    api,
    db,
    taskQueue,
    temporalAddress,
    graphql,
    graphqlWith,
    async graphqlOk<T>(query: string, variables?: Record<string, unknown>) {
      const result = await graphql<T>(query, variables);
      if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
      return result.data as T;
    },
    async rowCounts() {
      const [agents, agentVersions, runs, nodeRuns, approvals] = await Promise.all([
        db.prisma.agent.count(),
        db.prisma.agentVersion.count(),
        db.prisma.run.count(),
        db.prisma.nodeRun.count(),
        db.prisma.approval.count(),
      ]);
      return { agents, agentVersions, runs, nodeRuns, approvals };
    },
    async close() {
      await api.close();
      if (!options.db) {
        await terminateWorkflows(temporalAddress, (await db.prisma.run.findMany({ select: { id: true } })).map((run) => run.id));
        await db.drop();
      }
    },
  };
}

/** Leaves nothing running on the shared Temporal server: runs started without a worker never finish. */
export async function terminateWorkflows(temporalAddress: string, workflowIds: string[]): Promise<void> {
  if (workflowIds.length === 0) return;
  const connection = await Connection.connect({ address: temporalAddress });
  try {
    const client = new Client({ connection });
    await Promise.allSettled(workflowIds.map((id) => client.workflow.getHandle(id).terminate('test finished')));
  } finally {
    await connection.close();
  }
}

/** A DAG whose nodes only run inside the workflow (no network), with an input schema. */
export function setDag(value: unknown = { ok: true }): Record<string, unknown> {
  return {
    inputSchema: {
      type: 'object',
      properties: { threshold: { type: 'number' } },
      additionalProperties: false,
    },
    nodes: [{ id: 'answer', type: 'set', config: { value } }],
    output: 'nodes.answer.output',
  };
}

/**
 * Adds a workspace named `name` straight to the database, with an OWNER API key, for tests that need a
 * second tenant next to the bootstrap key's.
 *
 * @returns the workspace id and the `Authorization` header of its key
 */
export async function createWorkspaceWithKey(db: TestDatabase, name: string): Promise<{ workspaceId: string; authorization: string }> {
  const workspace = await db.prisma.workspace.create({ data: { name } });
  const key = generateApiKey();
  await db.prisma.apiKey.create({
    data: { workspaceId: workspace.id, name: `${name} owner`, prefix: key.prefix, tokenHash: key.hash, role: 'OWNER' },
  });
  return { workspaceId: workspace.id, authorization: `Bearer ${key.key}` };
}

/** The token of the `trellis_session` cookie a response sets, and the cookie's attributes. */
export function sessionCookieOf(response: GraphqlResponse): { token: string; attributes: string[] } {
  const header = response.headers.getSetCookie().find((cookie) => cookie.startsWith('trellis_session='));
  if (header === undefined) throw new Error(`no session cookie in ${JSON.stringify(response.headers.getSetCookie())}`);
  const [pair, ...attributes] = header.split(';').map((part) => part.trim());
  return { token: decodeURIComponent(pair.slice('trellis_session='.length)), attributes };
}

