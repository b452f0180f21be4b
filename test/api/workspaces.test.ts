/**
 * Workspaces and their members over the wire: creating and renaming workspaces, invitations accepted by new
 * and existing accounts, role changes within the role ceiling, removal, and the rule that a workspace keeps
 * an OWNER.
 */
import { Client, Connection, ScheduleNotFoundError } from '@temporalio/client';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiTestContext, type GraphqlResponse, sessionCookieOf, setDag, startTestApi, TEST_AUTHORIZATION } from './support/api-test-context.js';

const OWNER = { email: 'owner@acme.test', password: 'owner password 12345' };
const EDITOR = { email: 'Editor@Acme.test', password: 'editor password 12345' };
const ME = `{ me { user { id email } workspaces { role workspace { id name } } } }`;
const WORKSPACE = `{ workspace { id name createdAt members { role joinedAt user { id email } } } }`;
const INVITE = `mutation ($email: String!, $role: WorkspaceRole!) { inviteMember(email: $email, role: $role) { token url invitation { id email role expiresAt } } }`;
const ACCEPT = `mutation ($token: String!, $password: String) { acceptInvitation(token: $token, password: $password) { user { id email } workspaces { role workspace { id } } } }`;
const SET_ROLE = `mutation ($userId: ID!, $role: WorkspaceRole!) { setMemberRole(userId: $userId, role: $role) { role user { id } } }`;
const REMOVE = `mutation ($userId: ID!) { removeMember(userId: $userId) }`;

let ctx: ApiTestContext;
let setupToken: string;
let ownerCookie: string;
let ownerId: string;
let firstWorkspace: string;

function codeOf(response: GraphqlResponse): string | undefined {
  return response.errors?.[0]?.extensions?.code;
}

/** Headers of a session, acting in `workspaceId` when given. */
function session(cookie: string, workspaceId?: string): Record<string, string> {
  return { cookie: `trellis_session=${cookie}`, ...(workspaceId ? { 'trellis-workspace': workspaceId } : {}) };
}

async function ok(headers: Record<string, string>, query: string, variables?: Record<string, unknown>) {
  const response = await ctx.graphqlWith(headers, query, variables);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!;
}

beforeAll(async () => {
  const logger = pino({ level: 'warn' }, {
    write: (line: string) => {
      const parsed = JSON.parse(line) as { setupToken?: string };
      if (parsed.setupToken) setupToken = parsed.setupToken;
    },
  });
  ctx = await startTestApi({ logger, publicUrl: 'https://trellis.acme.test' });
  const setup = await ctx.graphqlWith({}, `mutation ($token: String!, $email: String!, $password: String!) {
    setupOwner(token: $token, email: $email, password: $password, workspaceName: "Acme") { user { id } workspaces { workspace { id } } }
  }`, { token: setupToken, ...OWNER });
  expect(setup.errors).toBeUndefined();
  ownerCookie = sessionCookieOf(setup).token;
  ownerId = setup.data!.setupOwner.user.id;
  firstWorkspace = setup.data!.setupOwner.workspaces[0].workspace.id;
});
afterAll(async () => {
  await ctx?.close();
});

describe('workspaces', () => {
  it('creates a workspace owned by its creator, who then names it in the Trellis-Workspace header', async () => {
    const { createWorkspace } = await ok(session(ownerCookie), `mutation { createWorkspace(name: " Research ") { id name createdAt } }`);
    expect(createWorkspace.name).toBe('Research');
    const { me } = await ok(session(ownerCookie), ME);
    expect(me.workspaces.map((entry: { role: string; workspace: { id: string } }) => [entry.workspace.id, entry.role])).toEqual([
      [firstWorkspace, 'OWNER'],
      [createWorkspace.id, 'OWNER'],
    ]);
    // With two workspaces a session must say which one it acts in.
    expect(codeOf(await ctx.graphqlWith(session(ownerCookie), WORKSPACE))).toBe('BAD_USER_INPUT');
    const { workspace } = await ok(session(ownerCookie, createWorkspace.id), WORKSPACE);
    expect(workspace).toMatchObject({ id: createWorkspace.id, name: 'Research', members: [{ role: 'OWNER', user: { id: ownerId, email: OWNER.email } }] });
    // Its data starts empty and stays apart from the first workspace's.
    const { agents } = await ok(session(ownerCookie, createWorkspace.id), `{ agents { id } }`);
    expect(agents).toEqual([]);
    expect(codeOf(await ctx.graphql(`mutation { createWorkspace(name: "by key") { id } }`))).toBe('FORBIDDEN');
    expect(codeOf(await ctx.graphqlWith(session(ownerCookie), `mutation { createWorkspace(name: " ") { id } }`))).toBe('BAD_USER_INPUT');
  });

  it('renames the workspace for an OWNER only', async () => {
    const { renameWorkspace } = await ok(session(ownerCookie, firstWorkspace), `mutation { renameWorkspace(name: "Acme Inc") { id name } }`);
    expect(renameWorkspace).toEqual({ id: firstWorkspace, name: 'Acme Inc' });
    const { createApiKey } = await ok({ authorization: TEST_AUTHORIZATION }, `mutation { createApiKey(input: { name: "admin", role: ADMIN }) { key } }`);
    const refused = await ctx.graphqlWith({ authorization: `Bearer ${createApiKey.key}` }, `mutation { renameWorkspace(name: "Mine") { id } }`);
    expect(codeOf(refused)).toBe('FORBIDDEN');
    expect((await ctx.db.prisma.workspace.findUniqueOrThrow({ where: { id: firstWorkspace } })).name).toBe('Acme Inc');
  });
});

describe('deleting a workspace', () => {
  it('stops its schedules and runs in Temporal, deletes everything in it and keeps the audit trail', async () => {
    const { createWorkspace } = await ok(session(ownerCookie), `mutation { createWorkspace(name: "Doomed") { id } }`);
    const doomed = session(ownerCookie, createWorkspace.id);
    const { createAgent } = await ok(doomed, `mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`, { input: { name: 'gone', dag: setDag() } });
    const { createSchedule } = await ok(doomed, `mutation ($id: ID!) { createSchedule(input: { agentId: $id, interval: "1h", paused: true }) { id } }`, { id: createAgent.id });
    // No worker runs here: the run stays RUNNING with its workflow open.
    const { startRun } = await ok(doomed, `mutation ($id: ID!) { startRun(agentId: $id) { id } }`, { id: createAgent.id });

    expect(codeOf(await ctx.graphqlWith(doomed, `mutation ($id: ID!) { deleteWorkspace(id: $id) }`, { id: firstWorkspace }))).toBe('BAD_USER_INPUT');
    const { deleteWorkspace } = await ok(doomed, `mutation ($id: ID!) { deleteWorkspace(id: $id) }`, { id: createWorkspace.id });
    expect(deleteWorkspace).toBe(createWorkspace.id);

    expect(await ctx.db.prisma.workspace.findUnique({ where: { id: createWorkspace.id } })).toBeNull();
    expect(await ctx.db.prisma.agent.count({ where: { workspaceId: createWorkspace.id } })).toBe(0);
    expect(await ctx.db.prisma.run.count({ where: { id: startRun.id } })).toBe(0);
    const connection = await Connection.connect({ address: ctx.temporalAddress });
    try {
      const client = new Client({ connection });
      await expect(client.schedule.getHandle(`trellis-schedule-${createSchedule.id}`).describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
      expect((await client.workflow.getHandle(startRun.id).describe()).status.name).toBe('TERMINATED');
    } finally {
      await connection.close();
    }
    const trail = await ctx.db.prisma.auditEvent.findMany({ where: { workspaceId: createWorkspace.id }, orderBy: { occurredAt: 'asc' } });
    expect(trail.map((event) => event.action)).toEqual(['workspace.create', 'agent.create', 'schedule.create', 'run.start', 'workspace.delete']);
    // Its former members no longer see it.
    const { me } = await ok(session(ownerCookie), ME);
    expect(me.workspaces.map((entry: { workspace: { id: string } }) => entry.workspace.id)).not.toContain(createWorkspace.id);
  });
});

describe('invitations and members', () => {
  let editorId: string;
  let editorCookie: string;

  it('invites an address; the link creates the account, joins it with the role and signs it in, once', async () => {
    const { inviteMember } = await ok(session(ownerCookie, firstWorkspace), INVITE, { email: EDITOR.email, role: 'EDITOR' });
    expect(inviteMember.invitation).toMatchObject({ email: EDITOR.email, role: 'EDITOR' });
    expect(Date.parse(inviteMember.invitation.expiresAt) - Date.now()).toBeGreaterThan(6.9 * 24 * 3_600_000);
    expect(inviteMember.url).toBe(`https://trellis.acme.test/invitations/accept?token=${inviteMember.token}`);
    const stored = await ctx.db.prisma.invitation.findUniqueOrThrow({ where: { id: inviteMember.invitation.id } });
    expect(stored.tokenHash).not.toContain(inviteMember.token);

    expect(codeOf(await ctx.graphqlWith({}, ACCEPT, { token: inviteMember.token }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await ctx.graphqlWith({}, ACCEPT, { token: inviteMember.token, password: 'short' }))).toBe('BAD_USER_INPUT');
    const accepted = await ctx.graphqlWith({}, ACCEPT, { token: inviteMember.token, password: EDITOR.password });
    expect(accepted.errors).toBeUndefined();
    editorCookie = sessionCookieOf(accepted).token;
    editorId = accepted.data!.acceptInvitation.user.id;
    expect(accepted.data!.acceptInvitation).toMatchObject({ user: { email: EDITOR.email }, workspaces: [{ role: 'EDITOR', workspace: { id: firstWorkspace } }] });
    // Single use.
    expect(codeOf(await ctx.graphqlWith({}, ACCEPT, { token: inviteMember.token, password: EDITOR.password }))).toBe('UNAUTHENTICATED');
    // The new member can sign in with the password and act as an EDITOR.
    const login = await ctx.graphqlWith({}, `mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { user { id } } }`, {
      email: EDITOR.email.toLowerCase(),
      password: EDITOR.password,
    });
    expect(login.data?.login.user.id).toBe(editorId);
    expect(codeOf(await ctx.graphqlWith(session(editorCookie), INVITE, { email: 'x@acme.test', role: 'VIEWER' }))).toBe('FORBIDDEN');
  });

  it('lets an existing account accept with its password, or with its session, but not as someone else', async () => {
    const research = (await ctx.db.prisma.workspace.findFirstOrThrow({ where: { name: 'Research' } })).id;
    const first = (await ok(session(ownerCookie, research), INVITE, { email: EDITOR.email, role: 'VIEWER' })).inviteMember;
    expect(codeOf(await ctx.graphqlWith({}, ACCEPT, { token: first.token, password: 'not the editor password' }))).toBe('UNAUTHENTICATED');
    // Signed in as the owner, the editor's invitation is not theirs to take.
    expect(codeOf(await ctx.graphqlWith(session(ownerCookie), ACCEPT, { token: first.token }))).toBe('FORBIDDEN');
    const joined = await ctx.graphqlWith(session(editorCookie), ACCEPT, { token: first.token });
    expect(joined.errors).toBeUndefined();
    expect(joined.data!.acceptInvitation.workspaces.map((entry: { role: string }) => entry.role)).toEqual(['EDITOR', 'VIEWER']);
    // An expired invitation cannot be used.
    const second = (await ok(session(ownerCookie, firstWorkspace), INVITE, { email: 'late@acme.test', role: 'VIEWER' })).inviteMember;
    await ctx.db.prisma.invitation.update({ where: { id: second.invitation.id }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    expect(codeOf(await ctx.graphqlWith({}, ACCEPT, { token: second.token, password: 'late password 12345' }))).toBe('UNAUTHENTICATED');
  });

  it('changes roles within the ceiling and always keeps an OWNER', async () => {
    const owner = session(ownerCookie, firstWorkspace);
    expect((await ok(owner, SET_ROLE, { userId: editorId, role: 'ADMIN' })).setMemberRole).toEqual({ role: 'ADMIN', user: { id: editorId } });
    const admin = session(editorCookie, firstWorkspace);
    // An ADMIN neither makes an OWNER nor touches one, nor invites one.
    expect(codeOf(await ctx.graphqlWith(admin, SET_ROLE, { userId: editorId, role: 'OWNER' }))).toBe('FORBIDDEN');
    expect(codeOf(await ctx.graphqlWith(admin, SET_ROLE, { userId: ownerId, role: 'VIEWER' }))).toBe('FORBIDDEN');
    expect(codeOf(await ctx.graphqlWith(admin, REMOVE, { userId: ownerId }))).toBe('FORBIDDEN');
    expect(codeOf(await ctx.graphqlWith(admin, INVITE, { email: 'boss@acme.test', role: 'OWNER' }))).toBe('FORBIDDEN');
    // The only OWNER cannot step down or leave.
    expect(codeOf(await ctx.graphqlWith(owner, SET_ROLE, { userId: ownerId, role: 'ADMIN' }))).toBe('CONFLICT');
    expect(codeOf(await ctx.graphqlWith(owner, REMOVE, { userId: ownerId }))).toBe('CONFLICT');
    // With a second OWNER the first may step down.
    await ok(owner, SET_ROLE, { userId: editorId, role: 'OWNER' });
    await ok(owner, SET_ROLE, { userId: ownerId, role: 'ADMIN' });
    const members = (await ok(admin, WORKSPACE)).workspace.members.map((member: { role: string; user: { id: string } }) => [member.user.id, member.role]);
    expect(members).toEqual([
      [ownerId, 'ADMIN'],
      [editorId, 'OWNER'],
    ]);
    // Not a member: NOT_FOUND.
    expect(codeOf(await ctx.graphqlWith(admin, SET_ROLE, { userId: '00000000-0000-4000-8000-000000000000', role: 'VIEWER' }))).toBe('NOT_FOUND');
    expect(await ctx.db.prisma.auditEvent.count({ where: { workspaceId: firstWorkspace, action: 'member.set_role', outcome: 'SUCCESS' } })).toBe(3);
  });

  it('removes a member, who can no longer act there but keeps the account', async () => {
    const newOwner = session(editorCookie, firstWorkspace);
    expect((await ok(newOwner, REMOVE, { userId: ownerId })).removeMember).toBe(ownerId);
    const { me } = await ok(session(ownerCookie), ME);
    expect(me.workspaces.map((entry: { workspace: { name: string } }) => entry.workspace.name)).toEqual(['Research']);
    // The removed user's request for the old workspace is refused as for any workspace that is not theirs.
    const refused = await ctx.graphqlWith(session(ownerCookie, firstWorkspace), `{ agents { id } }`);
    expect(codeOf(refused)).toBe('NOT_FOUND');
    expect(await ctx.db.prisma.auditEvent.count({ where: { workspaceId: firstWorkspace, action: 'member.remove' } })).toBe(1);
  });

  it('lists pending invitations to admins, and a revoked one can no longer be accepted', async () => {
    // The editor was made an OWNER above.
    const owner = session(editorCookie, firstWorkspace);
    const { inviteMember: kept } = await ok(owner, INVITE, { email: 'kept@acme.test', role: 'VIEWER' });
    const { inviteMember: withdrawn } = await ok(owner, INVITE, { email: 'withdrawn@acme.test', role: 'OPERATOR' });
    const pending = async () => (await ok(owner, `{ workspace { invitations { id email role } } }`)).workspace.invitations as { id: string; email: string }[];
    const before = await pending();
    expect(before.slice(0, 2)).toEqual([
      { id: withdrawn.invitation.id, email: 'withdrawn@acme.test', role: 'OPERATOR' },
      { id: kept.invitation.id, email: 'kept@acme.test', role: 'VIEWER' },
    ]);
    const revoke = `mutation ($id: ID!) { revokeInvitation(id: $id) }`;
    expect((await ok(owner, revoke, { id: withdrawn.invitation.id })).revokeInvitation).toBe(withdrawn.invitation.id);
    expect((await pending()).map((invitation) => invitation.email)).not.toContain('withdrawn@acme.test');
    expect(codeOf(await ctx.graphqlWith({}, ACCEPT, { token: withdrawn.token, password: 'withdrawn password 123' }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await ctx.graphqlWith(owner, revoke, { id: withdrawn.invitation.id }))).toBe('NOT_FOUND');
    // Accepted invitations are no longer pending.
    await ok({}, ACCEPT, { token: kept.token, password: 'kept password 12345' });
    expect((await pending()).map((invitation) => invitation.email)).not.toContain('kept@acme.test');
    const audited = await ctx.db.prisma.auditEvent.findMany({ where: { action: 'member.invitation_revoke', targetId: withdrawn.invitation.id } });
    expect(audited).toHaveLength(1);
  });

  it('shows API keys and invitations on the workspace to admins only', async () => {
    const owner = session(editorCookie, firstWorkspace);
    const { workspace } = await ok(owner, `{ workspace { apiKeys { name role } } }`);
    expect(workspace.apiKeys.map((key: { name: string }) => key.name)).toContain('admin');
    const { inviteMember } = await ok(owner, INVITE, { email: 'viewer@acme.test', role: 'VIEWER' });
    const viewer = sessionCookieOf(await ctx.graphqlWith({}, ACCEPT, { token: inviteMember.token, password: 'viewer password 12345' })).token;
    const refused = await ctx.graphqlWith(session(viewer), `{ workspace { name members { role } apiKeys { name } } }`);
    expect(refused.errors?.map((error) => [error.path?.join('.'), error.extensions?.code])).toEqual([['workspace.apiKeys', 'FORBIDDEN']]);
    const invitations = await ctx.graphqlWith(session(viewer), `{ workspace { invitations { id } } }`);
    expect(invitations.errors?.map((error) => [error.path?.join('.'), error.extensions?.code])).toEqual([['workspace.invitations', 'FORBIDDEN']]);
  });
});
