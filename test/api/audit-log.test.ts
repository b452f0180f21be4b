/**
 * The audit log over the wire: every audited mutation writes its row with the actor, workspace, request id
 * and target; refusals (FORBIDDEN, another workspace's record) are DENIED rows; sign-ins, webhook runs and
 * decision links record their own actors; `auditEvents` pages and filters, for ADMIN and above only.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@trellis/test-support';
import {
  type ApiTestContext,
  createWorkspaceWithKey,
  type ResponseData,
  setDag,
  startTestApi,
  TEST_AUTHORIZATION,
} from './support/api-test-context.js';

const AUDIT = `query ($first: Int, $after: String, $action: String, $actorId: String, $targetId: ID, $since: DateTime, $until: DateTime) {
  auditEvents(first: $first, after: $after, action: $action, actorId: $actorId, targetId: $targetId, since: $since, until: $until) {
    edges { cursor node { id occurredAt actorType actorId action targetType targetId outcome ip userAgent requestId metadata } }
    pageInfo { hasNextPage endCursor }
  }
}`;

let ctx: ApiTestContext;
let workspaceId: string;
let ownerKeyId: string;

beforeAll(async () => {
  ctx = await startTestApi({ secretKey: randomBytes(32).toString('hex'), publicUrl: 'http://127.0.0.1' });
  workspaceId = (await ctx.db.prisma.workspace.findFirstOrThrow({ orderBy: { createdAt: 'asc' } })).id;
  ownerKeyId = (await ctx.db.prisma.apiKey.findFirstOrThrow({ where: { workspaceId } })).id;
});
afterAll(async () => {
  await ctx?.close();
});

/** Sends one operation as the owner key with `X-Request-Id: requestId`, failing the test on errors. */
async function act(requestId: string, query: string, variables?: Record<string, unknown>): Promise<ResponseData> {
  const response = await ctx.graphqlWith({ authorization: TEST_AUTHORIZATION, 'x-request-id': requestId, 'user-agent': 'audit-test' }, query, variables);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!;
}

async function events(variables: Record<string, unknown> = {}, authorization = TEST_AUTHORIZATION): Promise<ResponseData[]> {
  const response = await ctx.graphqlWith({ authorization }, AUDIT, { first: 500, ...variables });
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!.auditEvents.edges.map((edge: ResponseData) => edge.node);
}

describe('audit log', () => {
  it('records every audited mutation with its actor, target, request id and client', async () => {
    const { createAgent: agent } = await act('req-agent', `mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`, {
      input: { name: 'audited', dag: setDag() },
    });
    await act('req-publish', `mutation ($id: ID!, $dag: JSON!) { publishAgentVersion(agentId: $id, dag: $dag) { id } }`, { id: agent.id, dag: setDag({ v: 2 }) });
    await act('req-live', `mutation ($id: ID!) { setLiveVersion(agentId: $id, version: 1) { id } }`, { id: agent.id });
    await act('req-rotate', `mutation ($id: ID!) { rotateWebhookSecret(agentId: $id) }`, { id: agent.id });
    const { startRun: run } = await act('req-start', `mutation ($id: ID!) { startRun(agentId: $id) { id } }`, { id: agent.id });
    const approvalId = randomUUID();
    await ctx.db.prisma.approval.create({ data: { id: approvalId, runId: run.id, nodeId: 'gate', message: 'Go?' } });
    await act('req-link', `mutation ($id: ID!) { createApprovalLink(id: $id) }`, { id: approvalId });
    await act('req-decide', `mutation ($id: ID!) { decideApproval(id: $id, approve: true) { id } }`, { id: approvalId });
    await act('req-cancel', `mutation ($id: ID!) { cancelRun(id: $id) { id } }`, { id: run.id });
    const { createSchedule: schedule } = await act('req-schedule', `mutation ($id: ID!) { createSchedule(input: { agentId: $id, interval: "1h", paused: true }) { id } }`, { id: agent.id });
    await act('req-update', `mutation ($id: ID!) { updateSchedule(id: $id, input: { interval: "2h" }) { id } }`, { id: schedule.id });
    await act('req-pause', `mutation ($id: ID!) { pauseSchedule(id: $id) { id } }`, { id: schedule.id });
    await act('req-unpause', `mutation ($id: ID!) { unpauseSchedule(id: $id) { id } }`, { id: schedule.id });
    await act('req-pause-again', `mutation ($id: ID!) { pauseSchedule(id: $id) { id } }`, { id: schedule.id });
    await act('req-trigger', `mutation ($id: ID!) { triggerSchedule(id: $id) { id } }`, { id: schedule.id });
    await act('req-backfill', `mutation ($id: ID!) { backfillSchedule(id: $id, start: "2026-01-01T00:00:00Z", end: "2026-01-01T02:00:00Z") { id } }`, { id: schedule.id });
    await act('req-delete', `mutation ($id: ID!) { deleteSchedule(id: $id) }`, { id: schedule.id });
    const { createApiKey } = await act('req-key', `mutation { createApiKey(input: { name: "ci", role: VIEWER }) { key apiKey { id } } }`);
    await act('req-revoke', `mutation ($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: createApiKey.apiKey.id });

    const expected: [string, string, string, string][] = [
      ['req-agent', 'agent.create', 'agent', agent.id],
      ['req-publish', 'agent.publish_version', 'agent', agent.id],
      ['req-live', 'agent.set_live_version', 'agent', agent.id],
      ['req-rotate', 'webhook_secret.rotate', 'agent', agent.id],
      ['req-start', 'run.start', 'run', run.id],
      ['req-link', 'approval.create_link', 'approval', approvalId],
      ['req-decide', 'approval.decide', 'approval', approvalId],
      ['req-cancel', 'run.cancel', 'run', run.id],
      ['req-schedule', 'schedule.create', 'schedule', schedule.id],
      ['req-update', 'schedule.update', 'schedule', schedule.id],
      ['req-pause', 'schedule.pause', 'schedule', schedule.id],
      ['req-unpause', 'schedule.unpause', 'schedule', schedule.id],
      ['req-trigger', 'schedule.trigger', 'schedule', schedule.id],
      ['req-backfill', 'schedule.backfill', 'schedule', schedule.id],
      ['req-delete', 'schedule.delete', 'schedule', schedule.id],
      ['req-key', 'api_key.create', 'api_key', createApiKey.apiKey.id],
      ['req-revoke', 'api_key.revoke', 'api_key', createApiKey.apiKey.id],
    ];
    const recorded = await events();
    for (const [requestId, action, targetType, targetId] of expected) {
      const rows = recorded.filter((event) => event.requestId === requestId);
      expect(rows, requestId).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        action,
        targetType,
        targetId,
        outcome: 'SUCCESS',
        actorType: 'API_KEY',
        actorId: ownerKeyId,
        userAgent: 'audit-test',
        ip: expect.stringMatching(/127\.0\.0\.1/),
      });
    }
    expect(recorded.find((event) => event.requestId === 'req-agent')!.metadata).toEqual({ name: 'audited' });
    expect(recorded.find((event) => event.requestId === 'req-key')!.metadata).toEqual({ name: 'ci', role: 'VIEWER' });
    // Secrets never reach the log: neither the new key nor the webhook secret.
    expect(JSON.stringify(recorded)).not.toContain(createApiKey.key);
    // Newest first.
    const times = recorded.map((event) => Date.parse(event.occurredAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('records refusals as DENIED: a role without the permission, and a record of another workspace', async () => {
    const { createApiKey: viewer } = await act('req-viewer', `mutation { createApiKey(input: { name: "viewer", role: VIEWER }) { key apiKey { id } } }`);
    const viewerAuth = `Bearer ${viewer.key}`;
    const { createAgent: agent } = await act('req-agent-2', `mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`, {
      input: { name: 'denied-target', dag: setDag() },
    });
    const refused = await ctx.graphqlWith({ authorization: viewerAuth }, `mutation ($id: ID!) { startRun(agentId: $id) { id } }`, { id: agent.id });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const denial = await eventually(async () =>
      (await events({ action: 'access.denied', actorId: viewer.apiKey.id })).at(0),
    );
    expect(denial).toMatchObject({ outcome: 'DENIED', actorType: 'API_KEY', targetType: 'operation', targetId: 'Mutation.startRun' });
    expect(await ctx.db.prisma.run.count({ where: { agentId: agent.id } })).toBe(0);

    const other = await createWorkspaceWithKey(ctx.db, 'prying');
    const probe = await ctx.graphqlWith({ authorization: other.authorization }, `query ($id: ID!) { agent(id: $id) { id } }`, { id: agent.id });
    expect(probe.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const unknown = await ctx.graphqlWith({ authorization: other.authorization }, `query ($id: ID!) { agent(id: $id) { id } }`, { id: randomUUID() });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const otherKey = await ctx.db.prisma.apiKey.findFirstOrThrow({ where: { workspaceId: other.workspaceId } });
    const crossing = await eventually(async () =>
      (await ctx.db.prisma.auditEvent.findMany({ where: { workspaceId: other.workspaceId, action: 'access.cross_workspace' } })).at(0),
    );
    expect(crossing).toMatchObject({ outcome: 'DENIED', actorType: 'API_KEY', actorId: otherKey.id, targetType: 'agent', targetId: agent.id });
    // Only the record that exists elsewhere was a crossing; the unknown id was not.
    expect(await ctx.db.prisma.auditEvent.count({ where: { workspaceId: other.workspaceId, action: 'access.cross_workspace' } })).toBe(1);
    // The prying workspace's event is not in this workspace's log.
    expect((await events({ action: 'access.cross_workspace' })).length).toBe(0);
  });

  it("records webhook runs as the webhook's and link decisions as the link's", async () => {
    const { createAgent: agent } = await act('req-hook-agent', `mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`, {
      input: { name: 'hooked', dag: setDag() },
    });
    const { rotateWebhookSecret: secret } = await act('req-hook-rotate', `mutation ($id: ID!) { rotateWebhookSecret(agentId: $id) }`, { id: agent.id });
    const body = '{}';
    const timestamp = Math.floor(Date.now() / 1000);
    const response = await fetch(`${ctx.api.url}/hooks/${agent.id}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-trellis-timestamp': String(timestamp),
        'x-trellis-signature': `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`,
      },
      body,
    });
    expect(response.status).toBe(202);
    const { runId } = (await response.json()) as { runId: string };
    const [hookEvent] = await events({ action: 'run.start', targetId: runId });
    expect(hookEvent).toMatchObject({ actorType: 'WEBHOOK', actorId: agent.id, outcome: 'SUCCESS', targetType: 'run' });

    const approvalId = randomUUID();
    await ctx.db.prisma.approval.create({ data: { id: approvalId, runId, nodeId: 'gate', message: 'Ship?' } });
    const { createApprovalLink: link } = await act('req-hook-link', `mutation ($id: ID!) { createApprovalLink(id: $id) }`, { id: approvalId });
    const path = new URL(link).pathname + new URL(link).search;
    const decided = await fetch(`${ctx.api.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ approve: false }) });
    expect(decided.status).toBe(200);
    const linkEvents = (await events({ targetId: approvalId })).filter((event) => event.action === 'approval.decide');
    expect(linkEvents).toEqual([expect.objectContaining({ actorType: 'LINK', actorId: approvalId, outcome: 'SUCCESS', metadata: { approve: false } })]);
  });

  it('pages newest first with cursors and filters by time; VIEWER keys may not read it', async () => {
    const all = await events();
    expect(all.length).toBeGreaterThan(5);
    const firstPage = await ctx.graphqlOk(AUDIT, { first: 2 });
    expect(firstPage.auditEvents.pageInfo.hasNextPage).toBe(true);
    const secondPage = await ctx.graphqlOk(AUDIT, { first: 2, after: firstPage.auditEvents.pageInfo.endCursor });
    const paged = [...firstPage.auditEvents.edges, ...secondPage.auditEvents.edges].map((edge: ResponseData) => edge.node.id);
    expect(paged).toEqual(all.slice(0, 4).map((event) => event.id));
    const pivot = all[3].occurredAt;
    const since = await events({ since: pivot });
    expect(since.every((event) => Date.parse(event.occurredAt) >= Date.parse(pivot))).toBe(true);
    const until = await events({ until: pivot });
    expect(until.every((event) => Date.parse(event.occurredAt) < Date.parse(pivot))).toBe(true);
    expect(since.length + until.length).toBe(all.length);

    const { createApiKey: viewer } = await act('req-viewer-2', `mutation { createApiKey(input: { name: "reader", role: VIEWER }) { key } }`);
    const refused = await ctx.graphqlWith({ authorization: `Bearer ${viewer.key}` }, AUDIT, {});
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
