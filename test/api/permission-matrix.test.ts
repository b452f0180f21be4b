/**
 * The role × operation matrix over the wire: an API key of each role calls every query and mutation (with
 * sample arguments) and is refused with FORBIDDEN exactly when its role is below the operation's. The
 * expected least role of each operation is written out here, from the role table, so the declarations
 * cannot drift from it unnoticed.
 */
import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_DECLARATION, type AccessDeclaration, generateApiKey, GRAPHQL_RESOLVERS, type Role, ROLES } from '@trellis/api';
import { type ApiTestContext, startTestApi, TEST_API_KEY } from './support/api-test-context.js';
import { committedSchema, sampleOperation } from './support/sample-operations.js';

/** The least role of every operation that needs a permission (the others are public or for any signed-in caller). */
const LEAST_ROLE: Record<string, Role> = {
  agent: 'VIEWER',
  agents: 'VIEWER',
  run: 'VIEWER',
  runs: 'VIEWER',
  schedule: 'VIEWER',
  schedules: 'VIEWER',
  approvals: 'VIEWER',
  workspace: 'VIEWER',
  validateDag: 'VIEWER',
  retryPlan: 'VIEWER',
  runEvents: 'VIEWER',
  runUpdated: 'VIEWER',
  startRun: 'OPERATOR',
  cancelRun: 'OPERATOR',
  retryRun: 'OPERATOR',
  decideApproval: 'OPERATOR',
  createApprovalLink: 'OPERATOR',
  triggerSchedule: 'OPERATOR',
  createAgent: 'EDITOR',
  publishAgentVersion: 'EDITOR',
  setLiveVersion: 'EDITOR',
  createSchedule: 'EDITOR',
  updateSchedule: 'EDITOR',
  pauseSchedule: 'EDITOR',
  unpauseSchedule: 'EDITOR',
  backfillSchedule: 'EDITOR',
  deleteSchedule: 'EDITOR',
  rotateWebhookSecret: 'EDITOR',
  apiKeys: 'ADMIN',
  createApiKey: 'ADMIN',
  revokeApiKey: 'ADMIN',
  auditEvents: 'ADMIN',
  inviteMember: 'ADMIN',
  setMemberRole: 'ADMIN',
  removeMember: 'ADMIN',
  revokeInvitation: 'ADMIN',
  secrets: 'EDITOR',
  setSecret: 'ADMIN',
  deleteSecret: 'ADMIN',
  renameWorkspace: 'OWNER',
  deleteWorkspace: 'OWNER',
};

/** Declarations of root fields, by field name (resolver methods are named after their fields). */
function declarations(): Map<string, AccessDeclaration> {
  const found = new Map<string, AccessDeclaration>();
  for (const resolver of GRAPHQL_RESOLVERS) {
    const prototype = resolver.prototype as Record<string, object>;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const declaration = Reflect.getMetadata(ACCESS_DECLARATION, prototype[name]) as AccessDeclaration | undefined;
      if (declaration) found.set(name, declaration);
    }
  }
  return found;
}

let ctx: ApiTestContext;
const keys = new Map<Role, string>();

beforeAll(async () => {
  ctx = await startTestApi();
  const owner = await ctx.db.prisma.apiKey.findUniqueOrThrow({ where: { tokenHash: createHash('sha256').update(TEST_API_KEY).digest('hex') } });
  for (const role of ROLES) {
    const { key, prefix, hash } = generateApiKey();
    await ctx.db.prisma.apiKey.create({ data: { workspaceId: owner.workspaceId, name: `${role} key`, prefix, tokenHash: hash, role } });
    keys.set(role, `Bearer ${key}`);
  }
});
afterAll(async () => {
  await ctx?.close();
});

describe('permission matrix', () => {
  const permissioned = [...declarations()].filter(([, declaration]) => declaration.kind === 'permission');

  it('lists the least role of every operation that needs a permission', () => {
    expect(Object.keys(LEAST_ROLE).sort()).toEqual(permissioned.map(([name]) => name).sort());
  });

  it.each([...ROLES])('answers a %s key FORBIDDEN exactly for the operations above its role', async (role) => {
    const rank = (of: Role) => ROLES.indexOf(of);
    const roots = [
      ...Object.values(committedSchema.getQueryType()!.getFields()).map((field) => ['query', field] as const),
      ...Object.values(committedSchema.getMutationType()!.getFields()).map((field) => ['mutation', field] as const),
    ].filter(([, field]) => field.name in LEAST_ROLE);
    // Every operation but the two subscriptions, which every role may open (the isolation suite covers them).
    expect(roots).toHaveLength(Object.keys(LEAST_ROLE).length - 2);
    const outcomes: string[] = [];
    for (const [kind, field] of roots) {
      const { query, variables } = sampleOperation(kind, field);
      const response = await ctx.graphqlWith({ authorization: keys.get(role)! }, query, variables);
      const refused = response.errors?.some((error) => error.extensions?.code === 'FORBIDDEN' && error.path?.[0] === field.name) ?? false;
      const expected = rank(role) < rank(LEAST_ROLE[field.name]);
      if (refused !== expected) outcomes.push(`${field.name}: ${expected ? 'should be FORBIDDEN' : `refused: ${JSON.stringify(response.errors)}`}`);
    }
    expect(outcomes).toEqual([]);
  });
});
