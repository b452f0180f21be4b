/**
 * The approvals inbox end to end, with the real worker: approvals are opened by runs of DAGs with
 * `approval` nodes. Forms, idempotent decisions, closed approvals, signed decision links, escalation,
 * and a decision taken while the worker is down.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDecisionToken } from '@trellis/api';
import { eventually, type HttpFixture, startHttpFixture } from '@trellis/test-support';
import { createHarness, type Harness, TEST_SECRET_KEY } from '@trellis/test-support/worker';
import { type ApiTestContext, type ResponseData, startTestApi, TEST_API_KEY_DECIDER } from './support/api-test-context.js';


const CREATE = `mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`;
const START = `mutation ($agentId: ID!, $input: JSON) { startRun(agentId: $agentId, input: $input) { id } }`;
const RUN = `query ($id: ID!) { run(id: $id) { id status output } }`;
const APPROVAL_FIELDS = `id nodeId status message assignees form values comment decidedBy requestedAt createdAt dueAt decidedAt
  escalateAt escalatedAt closedReason decisionUrl run { id }`;
const APPROVALS = `query ($status: ApprovalStatus, $assignee: String) { approvals(status: $status, assignee: $assignee, first: 500) { ${APPROVAL_FIELDS} } }`;
const DECIDE = `mutation ($id: ID!, $approve: Boolean!, $comment: String, $values: JSON) {
  decideApproval(id: $id, approve: $approve, comment: $comment, values: $values) { ${APPROVAL_FIELDS} }
}`;

const EXPENSE_FORM = {
  type: 'object',
  required: ['amount', 'reason'],
  properties: { amount: { type: 'number', minimum: 1 }, reason: { type: 'string', minLength: 1 } },
  additionalProperties: false,
};

let harness: Harness;
let ctx: ApiTestContext;
let fixture: HttpFixture;
beforeAll(async () => {
  fixture = await startHttpFixture();
  harness = await createHarness({ egressAllow: [fixture.url] });
  ctx = await startTestApi({ db: harness.db, temporalAddress: harness.temporalAddress, taskQueue: harness.taskQueue, secretKey: TEST_SECRET_KEY });
});
afterAll(async () => {
  await ctx?.close();
  await harness?.close();
  await fixture?.close();
});

/** A DAG whose `gate` approval has `config`, followed by a `set` node; the run's output is the gate's. */
function gateDag(config: Record<string, unknown>): Record<string, unknown> {
  return {
    nodes: [
      { id: 'gate', type: 'approval', config: { message: 'Pay the expense?', ...config } },
      { id: 'after', type: 'set', config: { value: 'done' } },
    ],
    edges: [{ from: 'gate', to: 'after' }],
    output: 'nodes.gate.output',
  };
}

/** Creates an agent of `dag`, starts a run and waits until it opened its approval. */
async function openApproval(config: Record<string, unknown> = {}): Promise<{ runId: string; approvalId: string }> {
  const { createAgent } = await ctx.graphqlOk(CREATE, { input: { name: `inbox-${randomBytes(4).toString('hex')}`, dag: gateDag(config) } });
  const { startRun } = await ctx.graphqlOk(START, { agentId: createAgent.id });
  const approval = await eventually(() => ctx.db.prisma.approval.findFirst({ where: { runId: startRun.id } }));
  return { runId: startRun.id, approvalId: approval.id };
}

async function approvalById(id: string, status = 'PENDING'): Promise<ResponseData | undefined> {
  const { approvals } = await ctx.graphqlOk(APPROVALS, { status });
  return approvals.find((approval: { id: string }) => approval.id === id);
}

async function finishedRun(id: string, status = 'SUCCEEDED'): Promise<ResponseData> {
  return eventually(async () => {
    const { run } = await ctx.graphqlOk(RUN, { id });
    return run.status === status && run;
  }, 30_000);
}

/** `approvalDecision` signals the run's workflow received, from its Temporal history. */
async function signalCount(runId: string): Promise<number> {
  const history = await harness.client.workflow.getHandle(runId).fetchHistory();
  return (history.events ?? []).filter((event) => event.workflowExecutionSignaledEventAttributes?.signalName === 'approvalDecision').length;
}

/**
 * True when the run's workflow is parked: its last task scheduled nothing (the history ends with
 * WorkflowTaskCompleted) and every timer and activity it started has closed, so only a signal can make
 * it act again. Also requires a fired timer, so that it is not the wait before an escalation.
 */
async function parkedAfterTimer(runId: string): Promise<boolean> {
  const events = (await harness.client.workflow.getHandle(runId).fetchHistory()).events ?? [];
  const openTimers = new Set<string>();
  const openActivities = new Set<string>();
  let fired = 0;
  for (const event of events) {
    if (event.timerStartedEventAttributes) openTimers.add(String(event.timerStartedEventAttributes.timerId));
    if (event.timerFiredEventAttributes) fired += 1;
    const closedTimer = event.timerFiredEventAttributes ?? event.timerCanceledEventAttributes;
    if (closedTimer) openTimers.delete(String(closedTimer.timerId));
    if (event.activityTaskScheduledEventAttributes) openActivities.add(String(event.eventId));
    const closedActivity =
      event.activityTaskCompletedEventAttributes ??
      event.activityTaskFailedEventAttributes ??
      event.activityTaskTimedOutEventAttributes ??
      event.activityTaskCanceledEventAttributes;
    if (closedActivity) openActivities.delete(String(closedActivity.scheduledEventId));
  }
  const last = events.at(-1);
  return fired > 0 && openTimers.size === 0 && openActivities.size === 0 && Boolean(last?.workflowTaskCompletedEventAttributes);
}

/**
 * Whether the run's history holds an `approvalDecision` signal (`received`), and whether a worker has
 * since started a workflow task, the only way the workflow can act on it (`handled`).
 */
async function decisionSignal(runId: string): Promise<{ received: boolean; handled: boolean }> {
  const events = (await harness.client.workflow.getHandle(runId).fetchHistory()).events ?? [];
  const signalled = events.findIndex((event) => event.workflowExecutionSignaledEventAttributes?.signalName === 'approvalDecision');
  if (signalled < 0) return { received: false, handled: false };
  return { received: true, handled: events.slice(signalled + 1).some((event) => event.workflowTaskStartedEventAttributes) };
}

/** The run's `approval.decided` events (`run_events` rows), oldest first. */
function decidedEvents(runId: string): Promise<{ nodeId: string | null; data: unknown }[]> {
  return ctx.db.prisma.runEvent.findMany({
    where: { runId, type: 'approval.decided' },
    orderBy: { sequence: 'asc' },
    select: { nodeId: true, data: true },
  });
}

/** `url` (a decision link) on the test API's own address: links name `localhost`, the API listens on 127.0.0.1. */
function onApi(url: string): string {
  const parsed = new URL(url);
  return `${ctx.api.url}${parsed.pathname}${parsed.search}`;
}

async function postJson(url: string, body: unknown): Promise<{ status: number; body: ResponseData }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as ResponseData };
}

async function getJson(url: string): Promise<{ status: number; body: ResponseData }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as ResponseData };
}

describe('approvals inbox', () => {
  it('shows the inbox fields and filters by assignee', async () => {
    const { runId, approvalId } = await openApproval({ assignees: ['alice@example.com', 'ops'], form: EXPENSE_FORM, timeout: '1h' });
    const approval = await eventually(() => approvalById(approvalId));
    expect(approval).toMatchObject({
      nodeId: 'gate',
      status: 'PENDING',
      message: 'Pay the expense?',
      assignees: ['alice@example.com', 'ops'],
      form: EXPENSE_FORM,
      values: null,
      decidedBy: null,
      escalateAt: null,
      escalatedAt: null,
      closedReason: null,
      run: { id: runId },
    });
    expect(approval.requestedAt).toBe(approval.createdAt);
    expect(Date.parse(approval.dueAt) - Date.parse(approval.requestedAt)).toBeGreaterThan(3_590_000);

    const { approvals: alices } = await ctx.graphqlOk(APPROVALS, { assignee: 'alice@example.com' });
    expect(alices.map((a: { id: string }) => a.id)).toContain(approvalId);
    const { approvals: bobs } = await ctx.graphqlOk(APPROVALS, { assignee: 'bob@example.com' });
    expect(bobs.map((a: { id: string }) => a.id)).not.toContain(approvalId);
  });

  it('checks values against the form, decides nothing on invalid values, and puts valid ones in the output', async () => {
    const { runId, approvalId } = await openApproval({ form: EXPENSE_FORM });

    const invalid = await ctx.graphql(DECIDE, { id: approvalId, approve: true, values: { amount: 0, extra: 'x' } });
    expect(invalid.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(invalid.errors?.[0]?.extensions?.issues).toEqual(
      expect.arrayContaining([
        { path: 'values.amount', message: 'must be >= 1' },
        { path: 'values.reason', message: 'is required' },
        { path: 'values.extra', message: 'is not allowed' },
      ]),
    );
    const missing = await ctx.graphql(DECIDE, { id: approvalId, approve: false });
    expect(missing.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      issues: expect.arrayContaining([{ path: 'values.amount', message: 'is required' }]),
    });
    expect(await ctx.db.prisma.approval.findUniqueOrThrow({ where: { id: approvalId } })).toMatchObject({ status: 'PENDING', values: null });
    expect(await signalCount(runId)).toBe(0);
    expect(await decidedEvents(runId)).toEqual([]);

    const values = { amount: 42.5, reason: 'client dinner' };
    const { decideApproval } = await ctx.graphqlOk(DECIDE, { id: approvalId, approve: true, comment: 'fine', values });
    // decidedBy is who the request authenticated as, never an argument.
    expect(decideApproval).toMatchObject({ status: 'APPROVED', values, comment: 'fine', decidedBy: TEST_API_KEY_DECIDER, decisionUrl: null });
    // Written in the decision's transaction, so it is there as soon as the mutation answers.
    expect(await decidedEvents(runId)).toEqual([
      { nodeId: 'gate', data: { approvalId, status: 'APPROVED', decidedBy: TEST_API_KEY_DECIDER } },
    ]);

    const run = await finishedRun(runId);
    expect(run.output).toMatchObject({ approved: true, comment: 'fine', values, decidedBy: TEST_API_KEY_DECIDER });
  });

  it('refuses values for an approval without a form', async () => {
    const { approvalId } = await openApproval();
    const result = await ctx.graphql(DECIDE, { id: approvalId, approve: true, values: { note: 'x' } });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ path: 'values' }] });
  });

  it('returns the same decision again without a second signal, and refuses a different one', async () => {
    const { runId, approvalId } = await openApproval({ form: EXPENSE_FORM });
    const values = { reason: 'taxi', amount: 12 };
    const first = (await ctx.graphqlOk(DECIDE, { id: approvalId, approve: true, comment: 'ok', values })).decideApproval;
    // Same decision, keys in another order: the same JSON value.
    const again = (await ctx.graphqlOk(DECIDE, { id: approvalId, approve: true, comment: 'ok', values: { amount: 12, reason: 'taxi' } }))
      .decideApproval;
    expect(again).toEqual(first);
    // Values written inline (GraphQL literals, parsed into null-prototype objects) are the same decision too.
    const inline = await ctx.graphqlOk(
      `mutation ($id: ID!) { decideApproval(id: $id, approve: true, comment: "ok", values: { amount: 12, reason: "taxi" }) { ${APPROVAL_FIELDS} } }`,
      { id: approvalId },
    );
    expect(inline.decideApproval).toEqual(first);
    expect(await decidedEvents(runId)).toEqual([{ nodeId: 'gate', data: { approvalId, status: 'APPROVED', decidedBy: TEST_API_KEY_DECIDER } }]);

    for (const other of [
      { approve: false, comment: 'ok', values },
      { approve: true, comment: 'changed my mind', values },
      { approve: true, comment: 'ok', values: { amount: 13, reason: 'taxi' } },
    ]) {
      const conflict = await ctx.graphql(DECIDE, { id: approvalId, ...other });
      expect(conflict.errors?.[0]?.extensions?.code).toBe('CONFLICT');
      expect(conflict.errors?.[0]?.message).toContain('already APPROVED');
    }

    const run = await finishedRun(runId);
    expect(run.output).toMatchObject({ approved: true, comment: 'ok', values });
    expect(await signalCount(runId)).toBe(1);
    // Still idempotent once the run has finished.
    expect((await ctx.graphqlOk(DECIDE, { id: approvalId, approve: true, comment: 'ok', values })).decideApproval).toEqual(first);
    // Neither the repeats nor the refused decisions recorded a second event.
    expect(await decidedEvents(runId)).toHaveLength(1);
  });

  it('closes the approvals of a cancelled run: out of the inbox, decisions are a CONFLICT with the reason', async () => {
    const { runId, approvalId } = await openApproval();
    await eventually(async () => (await ctx.graphqlOk(RUN, { id: runId })).run.status === 'WAITING');
    await ctx.graphqlOk(`mutation ($id: ID!) { cancelRun(id: $id) { id } }`, { id: runId });
    await finishedRun(runId, 'CANCELLED');

    const result = await ctx.graphql(DECIDE, { id: approvalId, approve: true });
    expect(result.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(result.errors?.[0]?.message).toContain('the run was cancelled');
    expect(await approvalById(approvalId)).toBeUndefined();
    const link = await ctx.graphql(`mutation ($id: ID!) { createApprovalLink(id: $id) }`, { id: approvalId });
    expect(link.errors?.[0]?.extensions?.code).toBe('CONFLICT');

    // Nobody decided it, so it stays PENDING in the database.
    expect(await ctx.db.prisma.approval.findUniqueOrThrow({ where: { id: approvalId } })).toMatchObject({ status: 'PENDING', decidedAt: null });
  });

  it('refuses a decision after the approval timed out, and the timeout action still applies', async () => {
    const { runId, approvalId } = await openApproval({ timeout: '1s', onTimeout: 'approve' });
    const run = await finishedRun(runId);
    expect(run.output).toMatchObject({ approved: true, timedOut: true });

    const result = await ctx.graphql(DECIDE, { id: approvalId, approve: false });
    expect(result.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(result.errors?.[0]?.message).toContain('TIMED_OUT: the approval timed out');
    expect(await approvalById(approvalId, 'TIMED_OUT')).toMatchObject({ closedReason: 'the approval timed out', decisionUrl: null });
  });
});

describe('signed decision links', () => {
  it('shows the approval, decides once, and refuses reuse and tampered or expired tokens', async () => {
    const { runId, approvalId } = await openApproval({ form: EXPENSE_FORM });
    const approval = await eventually(() => approvalById(approvalId));
    const port = new URL(ctx.api.url).port;
    expect(approval.decisionUrl).toMatch(new RegExp(`^http://localhost:${port}/approvals/${approvalId}/decision\\?token=\\d+\\.[A-Za-z0-9_-]{43}$`));
    const { createApprovalLink } = await ctx.graphqlOk(`mutation ($id: ID!) { createApprovalLink(id: $id) }`, { id: approvalId });
    const url = onApi(createApprovalLink);
    // Without a timeout a link lasts 7 days.
    const expiry = Number(new URL(url).searchParams.get('token')?.split('.')[0]);
    expect(expiry * 1000 - Date.now()).toBeGreaterThan(7 * 24 * 3600_000 - 60_000);

    const shown = await fetch(url);
    expect(shown.status).toBe(200);
    expect(shown.headers.get('cache-control')).toBe('no-store');
    expect(shown.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await shown.json()).toEqual({
      approval: expect.objectContaining({ id: approvalId, runId, status: 'PENDING', message: 'Pay the expense?', form: EXPENSE_FORM, closedReason: null }),
    });
    const page = await fetch(url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain('Pay the expense?');
    expect(html).toContain('name="approve" value="true"');

    // Tampered, foreign, missing and expired tokens: refused, nothing decided.
    const token = new URL(url).searchParams.get('token') as string;
    const [exp, sig] = token.split('.');
    const tampered = `${ctx.api.url}/approvals/${approvalId}/decision?token=${exp}.${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
    const longer = `${ctx.api.url}/approvals/${approvalId}/decision?token=${Number(exp) + 86_400}.${sig}`;
    const other = (await openApproval()).approvalId;
    const foreign = `${ctx.api.url}/approvals/${other}/decision?token=${token}`;
    const missing = `${ctx.api.url}/approvals/${approvalId}/decision`;
    for (const bad of [tampered, longer, foreign, missing]) {
      expect(await getJson(bad)).toEqual({ status: 401, body: { error: { code: 'INVALID_TOKEN', message: expect.any(String) } } });
      expect((await postJson(bad, { approve: true, values: { amount: 1, reason: 'x' } })).status).toBe(401);
    }
    const expiredToken = signDecisionToken(TEST_SECRET_KEY, approvalId, new Date(Date.now() - 1000));
    const expired = `${ctx.api.url}/approvals/${approvalId}/decision?token=${expiredToken}`;
    expect(await getJson(expired)).toMatchObject({ status: 410, body: { error: { code: 'LINK_EXPIRED' } } });
    expect((await postJson(expired, { approve: true, values: { amount: 1, reason: 'x' } })).status).toBe(410);

    // Bad bodies: 400 without `approve`, 422 with values that do not match the form.
    expect(await postJson(url, { comment: 'no verdict' })).toMatchObject({
      status: 400,
      body: { error: { code: 'BAD_REQUEST', issues: [{ path: 'approve' }] } },
    });
    expect(await postJson(url, { approve: true, values: { amount: 'lots' } })).toMatchObject({
      status: 422,
      body: { error: { code: 'BAD_USER_INPUT', issues: expect.arrayContaining([{ path: 'values.reason', message: 'is required' }]) } },
    });
    expect(await ctx.db.prisma.approval.findUniqueOrThrow({ where: { id: approvalId } })).toMatchObject({ status: 'PENDING' });
    expect(await signalCount(runId)).toBe(0);

    const values = { amount: 7, reason: 'parking' };
    const decided = await postJson(url, { approve: true, comment: 'via link', values, decidedBy: 'bob@example.com' });
    expect(decided).toMatchObject({ status: 200, body: { approval: { id: approvalId, status: 'APPROVED', values, decidedBy: 'decision link (bob@example.com)' } } });
    const reused = await postJson(url, { approve: true, comment: 'via link', values, decidedBy: 'bob@example.com' });
    expect(reused).toMatchObject({ status: 409, body: { error: { code: 'CONFLICT', message: expect.stringContaining('already APPROVED') } } });
    expect(await getJson(url)).toMatchObject({ status: 200, body: { approval: { status: 'APPROVED', closedReason: 'the approval was approved' } } });

    const run = await finishedRun(runId);
    expect(run.output).toMatchObject({ approved: true, comment: 'via link', values, decidedBy: 'decision link (bob@example.com)' });
    expect(await signalCount(runId)).toBe(1);
  });

  it('decides from the HTML page (a form post) and expires with the approval', async () => {
    const { runId, approvalId } = await openApproval({ timeout: '1h' });
    const approval = await eventually(() => approvalById(approvalId));
    const expiry = Number(new URL(approval.decisionUrl).searchParams.get('token')?.split('.')[0]);
    expect(expiry).toBe(Math.floor(Date.parse(approval.dueAt) / 1000));

    const response = await fetch(onApi(approval.decisionUrl), {
      method: 'POST',
      headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ approve: 'false', comment: 'not <this> one' }).toString(),
    });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('Rejected');
    expect(html).not.toContain('<this>');
    const run = await finishedRun(runId);
    expect(run.output).toMatchObject({ approved: false, comment: 'not <this> one' });
  });
});

describe('escalation', () => {
  it('sends the escalation once when the approval is still pending after escalateAfter', async () => {
    const escalation = { method: 'POST', url: `${fixture.url}/escalate`, body: { id: '{{ approval.id }}', msg: '{{ approval.message }}' } };
    const { runId, approvalId } = await openApproval({ escalateAfter: '1s', escalation, assignees: ['alice@example.com'] });
    await eventually(() => fixture.count('POST /escalate') >= 1, 15_000);
    const sent = fixture.requests.filter((request) => request.path === '/escalate');
    expect(sent.map((request) => request.body)).toEqual([{ id: approvalId, msg: 'Pay the expense?' }]);

    const approval = await eventually(async () => {
      const current = await approvalById(approvalId);
      return current?.escalatedAt && current;
    });
    // escalateAt counts from when the workflow opened the approval, just before the row was stored (requestedAt).
    expect(Date.parse(approval.escalateAt) - Date.parse(approval.requestedAt)).toBeGreaterThan(0);
    expect(Date.parse(approval.escalateAt) - Date.parse(approval.requestedAt)).toBeLessThanOrEqual(1000);
    expect(Date.parse(approval.escalatedAt)).toBeGreaterThanOrEqual(Date.parse(approval.escalateAt));

    // Sending another escalation would take another timer or activity. Once the workflow is parked after
    // the escalation's timer and activities, only the decision signal can wake it: one escalation is all.
    await eventually(() => parkedAfterTimer(runId));
    expect(fixture.count('POST /escalate')).toBe(1);
    await ctx.graphqlOk(DECIDE, { id: approvalId, approve: true });
    await finishedRun(runId);
    expect(fixture.count('POST /escalate')).toBe(1);
  });

  it('sends nothing when the approval is decided before escalateAfter', async () => {
    const escalation = { method: 'POST', url: `${fixture.url}/escalate-early`, body: { id: '{{ approval.id }}' } };
    const { runId, approvalId } = await openApproval({ escalateAfter: '2s', escalation });
    await ctx.graphqlOk(DECIDE, { id: approvalId, approve: true });
    // The workflow awaits its escalation before going on, so once the run has finished none can follow.
    await finishedRun(runId);
    expect(fixture.count('POST /escalate-early')).toBe(0);
    const stored = await ctx.db.prisma.approval.findUniqueOrThrow({ where: { id: approvalId } });
    expect(stored.escalateAt).not.toBeNull();
    expect(stored.escalatedAt).toBeNull();
  });
});

describe('worker down', () => {
  it('applies a decision taken while no worker runs once a worker returns', async () => {
    const { runId, approvalId } = await openApproval();
    await eventually(async () => (await ctx.graphqlOk(RUN, { id: runId })).run.status === 'WAITING');
    await harness.worker.stop();

    const { decideApproval } = await ctx.graphqlOk(DECIDE, { id: approvalId, approve: true, comment: 'while down' });
    expect(decideApproval.status).toBe('APPROVED');
    // The decision has reached the workflow, and no worker has handled it before (nor after) the run is
    // read: WAITING is what the decision alone leaves the run in.
    await eventually(async () => (await decisionSignal(runId)).received);
    expect((await ctx.graphqlOk(RUN, { id: runId })).run.status).toBe('WAITING');
    expect(await decisionSignal(runId)).toEqual({ received: true, handled: false });

    await harness.startWorker();
    const run = await finishedRun(runId);
    expect(run.output).toMatchObject({ approved: true, comment: 'while down' });
    expect(await signalCount(runId)).toBe(1);
  });
});
