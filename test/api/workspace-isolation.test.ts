/**
 * Two workspaces on one API, each with an agent, runs, an approval, a schedule, a webhook secret and an
 * API key. Workspace A's key, aimed at B's records by id, gets exactly what an id that does not exist gets
 * (NOT_FOUND, or nothing listed), and B's rows stay as they were; the same for subscriptions and webhooks.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiTestContext, createWorkspaceWithKey, type GraphqlResponse, setDag, startTestApi, TEST_AUTHORIZATION } from './support/api-test-context.js';
import { subscribe } from './support/subscriptions.js';
import { recordRunEvents } from '@trellis/db';
import { eventually } from '@trellis/test-support';

interface Tenant {
  workspaceId: string;
  authorization: string;
  agentId: string;
  runId: string;
  approvalId: string;
  scheduleId: string;
  apiKeyId: string;
  webhookSecret: string;
}

let ctx: ApiTestContext;
let a: Tenant;
let b: Tenant;

async function as(tenant: Tenant, query: string, variables?: Record<string, unknown>): Promise<GraphqlResponse> {
  return ctx.graphqlWith({ authorization: tenant.authorization }, query, variables);
}

async function okAs(tenant: Tenant, query: string, variables?: Record<string, unknown>) {
  const response = await as(tenant, query, variables);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!;
}

/** Fills a workspace whose OWNER key is `authorization`: an agent, two runs, an approval, a paused schedule. */
async function populate(workspaceId: string, authorization: string, label: string): Promise<Tenant> {
  const partial = { workspaceId, authorization } as Tenant;
  const { createAgent } = await okAs(partial, `mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`, {
    input: { name: `isolation-${label}`, dag: setDag() },
  });
  const start = `mutation ($agentId: ID!) { startRun(agentId: $agentId) { id } }`;
  const { startRun } = await okAs(partial, start, { agentId: createAgent.id });
  await okAs(partial, start, { agentId: createAgent.id });
  const approvalId = randomUUID();
  // The worker's syncRun stores approvals; no worker runs here, so store one as it would.
  await ctx.db.prisma.approval.create({ data: { id: approvalId, runId: startRun.id, nodeId: 'gate', message: `${label}?` } });
  const { createSchedule } = await okAs(partial, `mutation ($input: CreateScheduleInput!) { createSchedule(input: $input) { id } }`, {
    input: { agentId: createAgent.id, interval: '1h', paused: true },
  });
  const { rotateWebhookSecret } = await okAs(partial, `mutation ($agentId: ID!) { rotateWebhookSecret(agentId: $agentId) }`, {
    agentId: createAgent.id,
  });
  const { apiKeys } = await okAs(partial, `{ apiKeys { id } }`);
  return {
    ...partial,
    agentId: createAgent.id,
    runId: startRun.id,
    approvalId,
    scheduleId: createSchedule.id,
    apiKeyId: apiKeys[0].id,
    webhookSecret: rotateWebhookSecret,
  };
}

/** Every tenant row of a workspace, to show that nothing A did changed B's. */
async function rowsOf(workspaceId: string) {
  const where = { where: { workspaceId } };
  const { prisma } = ctx.db;
  return {
    agents: await prisma.agent.findMany({ ...where, orderBy: { id: 'asc' } }),
    versions: await prisma.agentVersion.findMany({ ...where, orderBy: { id: 'asc' } }),
    runs: await prisma.run.findMany({ ...where, orderBy: { id: 'asc' } }),
    approvals: await prisma.approval.findMany({ ...where, orderBy: { id: 'asc' } }),
    schedules: await prisma.schedule.findMany({ ...where, orderBy: { id: 'asc' } }),
    runEvents: await prisma.runEvent.count(where),
    apiKeys: await prisma.apiKey.findMany({ ...where, orderBy: { id: 'asc' }, omit: { lastUsedAt: true } }),
  };
}

beforeAll(async () => {
  ctx = await startTestApi({ secretKey: randomBytes(32).toString('hex') });
  const first = await ctx.db.prisma.workspace.findFirstOrThrow({ orderBy: { createdAt: 'asc' } });
  const second = await createWorkspaceWithKey(ctx.db, 'tenant B');
  a = await populate(first.id, TEST_AUTHORIZATION, 'a');
  b = await populate(second.workspaceId, second.authorization, 'b');
});
afterAll(async () => {
  await ctx?.close();
});

/** By-id operations: `{ query, variables(id) }`, where id is the record aimed at. */
const BY_ID: Record<string, { query: string; variables: (target: Tenant | null) => Record<string, unknown> }> = {
  agent: { query: `query ($id: ID!) { agent(id: $id) { id } }`, variables: (t) => ({ id: t?.agentId ?? randomUUID() }) },
  run: { query: `query ($id: ID!) { run(id: $id) { id } }`, variables: (t) => ({ id: t?.runId ?? randomUUID() }) },
  schedule: { query: `query ($id: ID!) { schedule(id: $id) { id } }`, variables: (t) => ({ id: t?.scheduleId ?? randomUUID() }) },
  schedules: { query: `query ($id: ID!) { schedules(agentId: $id) { id } }`, variables: (t) => ({ id: t?.agentId ?? randomUUID() }) },
  runsOfAgent: { query: `query ($id: ID!) { runs(agentId: $id) { edges { node { id } } } }`, variables: (t) => ({ id: t?.agentId ?? randomUUID() }) },
  childRuns: { query: `query ($id: ID!) { runs(parentRunId: $id) { edges { node { id } } } }`, variables: (t) => ({ id: t?.runId ?? randomUUID() }) },
  startRun: { query: `mutation ($id: ID!) { startRun(agentId: $id) { id } }`, variables: (t) => ({ id: t?.agentId ?? randomUUID() }) },
  cancelRun: { query: `mutation ($id: ID!) { cancelRun(id: $id) { id } }`, variables: (t) => ({ id: t?.runId ?? randomUUID() }) },
  retryRun: { query: `mutation ($id: ID!) { retryRun(id: $id) { id } }`, variables: (t) => ({ id: t?.runId ?? randomUUID() }) },
  decideApproval: {
    query: `mutation ($id: ID!) { decideApproval(id: $id, approve: true) { id } }`,
    variables: (t) => ({ id: t?.approvalId ?? randomUUID() }),
  },
  createApprovalLink: { query: `mutation ($id: ID!) { createApprovalLink(id: $id) }`, variables: (t) => ({ id: t?.approvalId ?? randomUUID() }) },
  publishAgentVersion: {
    query: `mutation ($id: ID!, $dag: JSON!) { publishAgentVersion(agentId: $id, dag: $dag) { id } }`,
    variables: (t) => ({ id: t?.agentId ?? randomUUID(), dag: setDag({ changed: true }) }),
  },
  setLiveVersion: {
    query: `mutation ($id: ID!) { setLiveVersion(agentId: $id, version: 1) { id } }`,
    variables: (t) => ({ id: t?.agentId ?? randomUUID() }),
  },
  rotateWebhookSecret: { query: `mutation ($id: ID!) { rotateWebhookSecret(agentId: $id) }`, variables: (t) => ({ id: t?.agentId ?? randomUUID() }) },
  createSchedule: {
    query: `mutation ($id: ID!) { createSchedule(input: { agentId: $id, interval: "1h" }) { id } }`,
    variables: (t) => ({ id: t?.agentId ?? randomUUID() }),
  },
  updateSchedule: {
    query: `mutation ($id: ID!) { updateSchedule(id: $id, input: { interval: "2h" }) { id } }`,
    variables: (t) => ({ id: t?.scheduleId ?? randomUUID() }),
  },
  pauseSchedule: { query: `mutation ($id: ID!) { pauseSchedule(id: $id) { id } }`, variables: (t) => ({ id: t?.scheduleId ?? randomUUID() }) },
  unpauseSchedule: { query: `mutation ($id: ID!) { unpauseSchedule(id: $id) { id } }`, variables: (t) => ({ id: t?.scheduleId ?? randomUUID() }) },
  triggerSchedule: { query: `mutation ($id: ID!) { triggerSchedule(id: $id) { id } }`, variables: (t) => ({ id: t?.scheduleId ?? randomUUID() }) },
  backfillSchedule: {
    query: `mutation ($id: ID!) { backfillSchedule(id: $id, start: "2026-01-01T00:00:00Z", end: "2026-01-01T03:00:00Z") { id } }`,
    variables: (t) => ({ id: t?.scheduleId ?? randomUUID() }),
  },
  deleteSchedule: { query: `mutation ($id: ID!) { deleteSchedule(id: $id) }`, variables: (t) => ({ id: t?.scheduleId ?? randomUUID() }) },
  revokeApiKey: { query: `mutation ($id: ID!) { revokeApiKey(id: $id) { id } }`, variables: (t) => ({ id: t?.apiKeyId ?? randomUUID() }) },
};

/** What a response says, with the ids it names replaced, to compare an answer about B's record with one about no record. */
function outcome(response: GraphqlResponse, id: unknown): unknown {
  const text = JSON.stringify({ status: response.status, data: response.data, errors: response.errors?.map(({ message, extensions }) => ({ message, code: extensions?.code })) });
  return JSON.parse(text.replaceAll(String(id), '<id>'));
}

describe('workspace isolation', () => {
  it("answers A's key about B's records exactly as about records that do not exist, and leaves B's rows unchanged", async () => {
    const before = await rowsOf(b.workspaceId);
    expect(before.runs).toHaveLength(2);
    for (const [name, operation] of Object.entries(BY_ID)) {
      const missingVariables = operation.variables(null);
      const missing = outcome(await as(a, operation.query, missingVariables), missingVariables.id);
      const foreignVariables = operation.variables(b);
      const foreign = outcome(await as(a, operation.query, foreignVariables), foreignVariables.id);
      expect(foreign, name).toEqual(missing);
      // Either refused as not found or, for lists, answered with nothing.
      expect(JSON.stringify(foreign), name).toMatch(/NOT_FOUND|"edges":\[\]|"schedules":\[\]/);
    }
    expect(await rowsOf(b.workspaceId)).toEqual(before);
  });

  it('lists only the caller’s own workspace', async () => {
    const lists = await okAs(a, `{
      agents { id }
      runs(first: 100) { edges { node { id } } }
      approvals(first: 100) { id }
      apiKeys { id }
    }`);
    const seen = JSON.stringify(lists);
    for (const id of [b.agentId, b.runId, b.approvalId, b.apiKeyId]) expect(seen).not.toContain(id);
    for (const id of [a.agentId, a.runId, a.approvalId, a.apiKeyId]) expect(seen).toContain(id);
    const { schedules } = await okAs(a, `query ($id: ID!) { schedules(agentId: $id) { id } }`, { id: a.agentId });
    expect(schedules.map((schedule: { id: string }) => schedule.id)).toEqual([a.scheduleId]);
    // And the other way round.
    const theirs = JSON.stringify(await okAs(b, `{ agents { id } runs(first: 100) { edges { node { id } } } approvals(first: 100) { id } }`));
    expect(theirs).toContain(b.runId);
    expect(theirs).not.toContain(a.runId);
  });

  it("refuses subscriptions to B's run or agent as it refuses unknown ones", async () => {
    const runEvents = `subscription ($id: ID!) { runEvents(runId: $id) { sequence } }`;
    const runUpdated = `subscription ($id: ID!) { runUpdated(agentId: $id) { id } }`;
    for (const [query, foreignId] of [
      [runEvents, b.runId],
      [runUpdated, b.agentId],
    ]) {
      const foreign = subscribe(ctx.api.graphqlUrl, query, { id: foreignId }, { authorization: a.authorization });
      const missing = subscribe(ctx.api.graphqlUrl, query, { id: randomUUID() }, { authorization: a.authorization });
      const [foreignEnd, missingEnd] = await Promise.all([foreign.ended, missing.ended]);
      await Promise.all([foreign.close(), missing.close()]);
      expect(foreignEnd).toMatchObject({ kind: 'errors', errors: [{ extensions: { code: 'NOT_FOUND' } }] });
      expect(missingEnd).toMatchObject({ kind: 'errors', errors: [{ extensions: { code: 'NOT_FOUND' } }] });
      expect(foreign.received).toEqual([]);
    }
  });

  it("streams A's status changes to A's workspace-wide runUpdated, and none of B's", async () => {
    const feed = subscribe<{ runUpdated: { id: string; status: string } }>(ctx.api.graphqlUrl, `subscription { runUpdated { id status } }`, {}, { authorization: a.authorization });
    try {
      // Announced until the feed shows A's run: from then on it is live; B's run is announced alongside each time.
      await eventually(async () => {
        for (const tenant of [b, a]) await ctx.db.prisma.$transaction((tx) => recordRunEvents(tx, tenant.runId, [], { status: 'WAITING' }));
        return feed.received.some((item) => item.data.runUpdated.id === a.runId);
      });
      await ctx.db.prisma.$transaction((tx) => recordRunEvents(tx, b.runId, [], { status: 'WAITING' }));
      expect(feed.received.map((item) => item.data.runUpdated.id)).not.toContain(b.runId);
      expect(feed.received.every((item) => item.data.runUpdated.id === a.runId)).toBe(true);
    } finally {
      await feed.close();
    }
  });

  it("refuses a call to B's webhook signed with A's secret, and accepts B's own", async () => {
    const body = JSON.stringify({});
    const post = (secret: string) => {
      const timestamp = Math.floor(Date.now() / 1000);
      const signature = `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
      return fetch(`${ctx.api.url}/hooks/${b.agentId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-trellis-timestamp': String(timestamp), 'x-trellis-signature': signature },
        body,
      });
    };
    const runsBefore = await ctx.db.prisma.run.count({ where: { agentId: b.agentId } });
    const refused = await post(a.webhookSecret);
    expect(refused.status).toBe(401);
    expect(await ctx.db.prisma.run.count({ where: { agentId: b.agentId } })).toBe(runsBefore);
    const accepted = await post(b.webhookSecret);
    expect(accepted.status, await accepted.clone().text()).toBe(202);
    const { runId } = (await accepted.json()) as { runId: string };
    expect(await ctx.db.prisma.run.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({ workspaceId: b.workspaceId, trigger: 'WEBHOOK' });
  });
});
