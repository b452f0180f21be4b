/**
 * The API's GraphQL schema as SDL, built from the resolvers' decorators without starting the API (no
 * Postgres, no Temporal). `scripts/emit-graphql-schema.js` writes it to `apps/api/schema.graphql`, the
 * committed file that shows every API change as a schema diff; a test keeps the two equal.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { createRequire } from 'node:module';
import { describeRootTypes } from './common/graphql/root-type-descriptions.js';
import { AgentsResolver } from './modules/agents/agents.resolver.js';
import { ApiKeysResolver } from './modules/api-keys/api-keys.resolver.js';
import { ApprovalsResolver } from './modules/approvals/approvals.resolver.js';
import { RunApprovalsResolver } from './modules/approvals/run-approvals.resolver.js';
import { AuditEventsResolver } from './modules/audit/audit-events.resolver.js';
import { SessionsResolver } from './modules/identity/sessions/sessions.resolver.js';
import { NodeTypesResolver } from './modules/node-types/node-types.resolver.js';
import { RunEventsResolver } from './modules/run-events/run-events.resolver.js';
import { NodeRunsResolver } from './modules/runs/node-runs.resolver.js';
import { AgentRunsResolver } from './modules/runs/agent-runs.resolver.js';
import { RunsResolver } from './modules/runs/runs.resolver.js';
import { RunScheduleResolver, ScheduleActionResolver } from './modules/schedules/schedule-links.resolver.js';
import { SchedulesResolver } from './modules/schedules/schedules.resolver.js';
import { SecretsResolver } from './modules/secrets/secrets.resolver.js';
import { WorkspacesResolver } from './modules/workspaces/workspaces.resolver.js';
import { WebhooksResolver } from './modules/webhooks/webhooks.resolver.js';

// The CommonJS copy of `graphql` that `@nestjs/graphql` builds its types with: printing them with another
// copy (a bundler or test runner may resolve the ESM build) fails with "from another module or realm".
const { lexicographicSortSchema, printSchema } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

/** Every resolver class of the API; a test checks it against the `*.resolver.ts` files. */
export const GRAPHQL_RESOLVERS: readonly (new (...args: never[]) => unknown)[] = [
  AgentRunsResolver,
  AgentsResolver,
  ApiKeysResolver,
  ApprovalsResolver,
  AuditEventsResolver,
  NodeRunsResolver,
  NodeTypesResolver,
  RunApprovalsResolver,
  RunEventsResolver,
  RunScheduleResolver,
  RunsResolver,
  ScheduleActionResolver,
  SchedulesResolver,
  SecretsResolver,
  SessionsResolver,
  WebhooksResolver,
  WorkspacesResolver,
];

/**
 * Prints the schema, types sorted by name and root types described as the running API's are
 * (`sortSchema`, `transformSchema`).
 * @returns the SDL text, ending with a newline.
 */
export async function printGraphqlSchema(): Promise<string> {
  const app = await NestFactory.create(GraphQLSchemaBuilderModule, { logger: false });
  try {
    await app.init();
    const schema = await app.get(GraphQLSchemaFactory).create([...GRAPHQL_RESOLVERS] as never[], { dateScalarMode: 'isoDate' });
    return `${printSchema(lexicographicSortSchema(describeRootTypes(schema)))}\n`;
  } finally {
    await app.close();
  }
}
