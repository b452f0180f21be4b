import type { TrellisPrismaClient } from '../../../infrastructure/prisma/prisma-client.js';

/** A Prisma transaction client. */
export type PrismaTransaction = Parameters<Parameters<TrellisPrismaClient['$transaction']>[0]>[0];

/** First key of the two-key advisory lock, so schedule locks cannot collide with other advisory locks. */
const SCHEDULE_LOCK_CLASS = 0x5c4ed;
/**
 * Longest a schedule transaction may stay open (ms): it spans up to three Temporal calls of at most
 * `TEMPORAL_CALL_TIMEOUT_MS` (10 s) each, plus waiting for another holder of the lock.
 */
const SCHEDULE_TRANSACTION_TIMEOUT_MS = 45_000;

/**
 * Runs `work` in a transaction holding a per-schedule Postgres advisory lock
 * (`pg_advisory_xact_lock(class, hashtext(id))`), released at commit or rollback. Every write to a schedule
 * (its row and its Temporal Schedule) goes through here, in this API and in any other instance, so
 * reconciliation never sees a half-applied change and never undoes a concurrent one. `work` may call
 * Temporal: if it throws, the row changes roll back.
 *
 * @param scheduleId the schedule's id (need not exist yet)
 * @throws whatever `work` throws; Prisma's transaction errors when the lock is not obtained in time
 */
export function withScheduleLock<T>(
  prisma: TrellisPrismaClient,
  scheduleId: string,
  work: (tx: PrismaTransaction) => Promise<T>,
): Promise<T> {
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SCHEDULE_LOCK_CLASS}::int, hashtext(${scheduleId}))`;
      return work(tx);
    },
    { timeout: SCHEDULE_TRANSACTION_TIMEOUT_MS, maxWait: SCHEDULE_TRANSACTION_TIMEOUT_MS },
  );
}
