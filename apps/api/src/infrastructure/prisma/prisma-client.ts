/**
 * The one place the API touches `@trellis/db`'s exports: everything else imports the client type,
 * row types and enums from here.
 */
import { $Enums, createPrismaClient, readDag, type Prisma } from '@trellis/db';

export { createPrismaClient, readDag };
export type { Agent, AgentVersion, Approval, NodeRun, Run } from '@trellis/db';
export { ApprovalStatus, NodeStatus, RunStatus, RunTrigger } from '@trellis/db';

/** A row of `schedules` (see `prisma/schema.prisma`). */
export type Schedule = Prisma.ScheduleModel;
/** Temporal's overlap policies, as stored on `schedules.overlap_policy`. */
export const ScheduleOverlapPolicy = $Enums.ScheduleOverlapPolicy;
export type ScheduleOverlapPolicy = $Enums.ScheduleOverlapPolicy;

/** The generated Prisma client for the Trellis schema. */
export type TrellisPrismaClient = ReturnType<typeof createPrismaClient>;

/** Injection token of the shared {@link TrellisPrismaClient}. */
export const PRISMA = Symbol('PRISMA');

/** A value accepted by a `Json` column. Callers pass already-validated JSON-compatible data. */
export type PrismaJson = Prisma.InputJsonValue;
