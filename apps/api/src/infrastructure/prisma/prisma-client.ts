/**
 * The one place the API touches `@trellis/db`'s exports: everything else imports the client type,
 * row types and enums from here.
 */
import { createPrismaClient, type Prisma } from '@trellis/db';

export { createPrismaClient };
export type { Agent, AgentVersion, Approval, NodeRun, Run } from '@trellis/db';
export { ApprovalStatus, NodeStatus, RunStatus, RunTrigger } from '@trellis/db';

/** The generated Prisma client for the Trellis schema. */
export type TrellisPrismaClient = ReturnType<typeof createPrismaClient>;

/** Injection token of the shared {@link TrellisPrismaClient}. */
export const PRISMA = Symbol('PRISMA');

/** A value accepted by a `Json` column. Callers pass already-validated JSON-compatible data. */
export type PrismaJson = Prisma.InputJsonValue;
