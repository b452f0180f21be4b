/**
 * The one place the API touches `@trellis/db`'s exports: everything else imports the client type,
 * row types and enums from here.
 */
import { $Enums, createPrismaClient, readDag, type Prisma } from '@trellis/db';
import { scopeToWorkspace } from './workspace-scope.extension.js';

export { readDag };
export type { Agent, AgentVersion, Approval, NodeRun, Run } from '@trellis/db';
export { ApprovalStatus, NodeStatus, RunStatus, RunTrigger } from '@trellis/db';

/** A row of `schedules` (see `prisma/schema.prisma`). */
export type Schedule = Prisma.ScheduleModel;
/** Temporal's overlap policies, as stored on `schedules.overlap_policy`. */
export const ScheduleOverlapPolicy = $Enums.ScheduleOverlapPolicy;
export type ScheduleOverlapPolicy = $Enums.ScheduleOverlapPolicy;

/**
 * The API's Prisma client: the generated client for the Trellis schema, scoped to the current workspace
 * (see `scopeToWorkspace`).
 */
export type TrellisPrismaClient = ReturnType<typeof createWorkspaceScopedClient>;

/**
 * Opens (lazily) a pooled client on `databaseUrl` whose tenant models only see the current workspace.
 *
 * @throws TypeError when `databaseUrl` is not a URL
 */
export function createWorkspaceScopedClient(databaseUrl: string) {
  return scopeToWorkspace(createPrismaClient(databaseUrl));
}

/** Injection token of the shared {@link TrellisPrismaClient}. */
export const PRISMA = Symbol('PRISMA');

/** A value accepted by a `Json` column. Callers pass already-validated JSON-compatible data. */
export type PrismaJson = Prisma.InputJsonValue;
