/**
 * Who may decide an approval: `decidedBy` is the authenticated principal; with assignees (emails, `role:X`)
 * only they or an ADMIN decide; with `allowSelfApproval: false` whoever started the run does not; and
 * `approvals(mine: true)` lists exactly what the caller may decide.
 */
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normaliseAssignee } from '@trellis/worker';
import { type ApiTestContext, type GraphqlResponse, sessionCookieOf, setDag, startTestApi, TEST_AUTHORIZATION } from './support/api-test-context.js';

const DECIDE = `mutation ($id: ID!) { decideApproval(id: $id, approve: true) { id status decidedBy } }`;
const MINE = `{ approvals(mine: true) { id } }`;

let ctx: ApiTestContext;
let agentId: string;
/** A signed-in OPERATOR, alice@acme.test. */
let alice: Record<string, string>;
let operatorKey: Record<string, string>;
let adminKey: Record<string, string>;

function codeOf(response: GraphqlResponse): string | undefined {
  return response.errors?.[0]?.extensions?.code;
}

async function keyWithRole(role: string): Promise<Record<string, string>> {
  const { createApiKey } = await ctx.graphqlOk(`mutation ($role: WorkspaceRole!) { createApiKey(input: { name: "k", role: $role }) { key } }`, { role });
  return { authorization: `Bearer ${createApiKey.key}` };
}

async function startRunAs(headers: Record<string, string>): Promise<string> {
  const response = await ctx.graphqlWith(headers, `mutation ($id: ID!) { startRun(agentId: $id) { id } }`, { id: agentId });
  expect(response.errors).toBeUndefined();
  return response.data!.startRun.id;
}

/** An approval on `runId` as the worker stores it, assignees normalised (no worker runs here). */
async function openApproval(runId: string, fields: { assignees?: string[]; allowSelfApproval?: boolean } = {}): Promise<string> {
  const id = randomUUID();
  await ctx.db.prisma.approval.create({ data: { id, runId, nodeId: 'gate', message: 'Ship?', ...fields } });
  return id;
}

beforeAll(async () => {
  let setupToken = '';
  const logger = pino({ level: 'warn' }, { write: (line: string) => void (setupToken = (JSON.parse(line) as { setupToken?: string }).setupToken ?? setupToken) });
  ctx = await startTestApi({ logger });
  const setup = await ctx.graphqlWith({}, `mutation ($token: String!) { setupOwner(token: $token, email: "owner@acme.test", password: "owner password 12345", workspaceName: "Acme") { user { id } } }`, { token: setupToken });
  const owner = { cookie: `trellis_session=${sessionCookieOf(setup).token}` };
  const invited = await ctx.graphqlWith(owner, `mutation { inviteMember(email: "Alice@Acme.test", role: OPERATOR) { token } }`);
  const accepted = await ctx.graphqlWith({}, `mutation ($token: String!) { acceptInvitation(token: $token, password: "alice password 12345") { user { id } } }`, {
    token: invited.data!.inviteMember.token,
  });
  alice = { cookie: `trellis_session=${sessionCookieOf(accepted).token}` };
  const { createAgent } = await ctx.graphqlOk(`mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`, { input: { name: 'gated', dag: setDag() } });
  agentId = createAgent.id;
  operatorKey = await keyWithRole('OPERATOR');
  adminKey = await keyWithRole('ADMIN');
});
afterAll(async () => {
  await ctx?.close();
});

describe('approval deciders', () => {
  it('records who started a run', async () => {
    const runId = await startRunAs(alice);
    const run = await ctx.db.prisma.run.findUniqueOrThrow({ where: { id: runId }, include: { startedByUser: true } });
    expect(run.startedByUser?.email).toBe('Alice@Acme.test');
    expect(run.startedByApiKeyId).toBeNull();
    const byKey = await ctx.db.prisma.run.findUniqueOrThrow({ where: { id: await startRunAs({ authorization: TEST_AUTHORIZATION }) } });
    expect(byKey.startedByApiKeyId).not.toBeNull();
  });

  it('lets only the assignees, by email in any case or by role, or an ADMIN decide', async () => {
    const runId = await startRunAs(adminKey);
    const forAlice = await openApproval(runId, { assignees: ['alice@acme.test'] });
    expect(codeOf(await ctx.graphqlWith(operatorKey, DECIDE, { id: forAlice }))).toBe('FORBIDDEN');
    const decided = await ctx.graphqlWith(alice, DECIDE, { id: forAlice });
    expect(decided.data?.decideApproval).toEqual({ id: forAlice, status: 'APPROVED', decidedBy: 'Alice@Acme.test' });

    const forAdmins = await openApproval(runId, { assignees: ['role:ADMIN'] });
    expect(codeOf(await ctx.graphqlWith(alice, DECIDE, { id: forAdmins }))).toBe('FORBIDDEN');
    expect(codeOf(await ctx.graphqlWith(operatorKey, DECIDE, { id: forAdmins }))).toBe('FORBIDDEN');
    expect((await ctx.graphqlWith(adminKey, DECIDE, { id: forAdmins })).data?.decideApproval.decidedBy).toBe('API key k');

    const forOperators = await openApproval(runId, { assignees: ['role:OPERATOR', 'someone@else.test'] });
    expect((await ctx.graphqlWith(operatorKey, DECIDE, { id: forOperators })).errors).toBeUndefined();
    // A refused decision changed nothing.
    expect((await ctx.db.prisma.approval.findUniqueOrThrow({ where: { id: forAdmins } })).decidedBy).toBe('API key k');
  });

  it('keeps whoever started the run from deciding it when allowSelfApproval is false, even an ADMIN', async () => {
    const alicesRun = await startRunAs(alice);
    const gate = await openApproval(alicesRun, { allowSelfApproval: false });
    expect(codeOf(await ctx.graphqlWith(alice, DECIDE, { id: gate }))).toBe('FORBIDDEN');
    expect((await ctx.db.prisma.approval.findUniqueOrThrow({ where: { id: gate } })).status).toBe('PENDING');
    expect((await ctx.graphqlWith(operatorKey, DECIDE, { id: gate })).data?.decideApproval.status).toBe('APPROVED');

    const adminsRun = await startRunAs(adminKey);
    const ownGate = await openApproval(adminsRun, { allowSelfApproval: false });
    expect(codeOf(await ctx.graphqlWith(adminKey, DECIDE, { id: ownGate }))).toBe('FORBIDDEN');
    // Allowed by default.
    const open = await openApproval(alicesRun);
    expect((await ctx.graphqlWith(alice, DECIDE, { id: open })).errors).toBeUndefined();
  });

  it('lists in approvals(mine: true) exactly what the caller may decide', async () => {
    await ctx.db.prisma.approval.updateMany({ where: { status: 'PENDING' }, data: { status: 'TIMED_OUT' } });
    const alicesRun = await startRunAs(alice);
    const otherRun = await startRunAs(adminKey);
    const unassigned = await openApproval(otherRun);
    const hers = await openApproval(otherRun, { assignees: [normaliseAssignee('ALICE@acme.test')] });
    const operators = await openApproval(otherRun, { assignees: [normaliseAssignee('Role:operator')] });
    const admins = await openApproval(otherRun, { assignees: ['role:ADMIN'] });
    const someoneElses = await openApproval(otherRun, { assignees: ['bob@acme.test'] });
    const selfBlocked = await openApproval(alicesRun, { allowSelfApproval: false });
    const ids = (response: GraphqlResponse) => response.data!.approvals.map((approval: { id: string }) => approval.id).sort();
    expect(ids(await ctx.graphqlWith(alice, MINE))).toEqual([unassigned, hers, operators].sort());
    expect(ids(await ctx.graphqlWith(operatorKey, MINE))).toEqual([unassigned, operators, selfBlocked].sort());
    expect(ids(await ctx.graphqlWith(adminKey, MINE))).toEqual([unassigned, hers, operators, admins, someoneElses, selfBlocked].sort());
    // Every approval listed as mine can indeed be decided by the caller.
    for (const id of ids(await ctx.graphqlWith(alice, MINE))) expect((await ctx.graphqlWith(alice, DECIDE, { id })).errors).toBeUndefined();
  });
});
