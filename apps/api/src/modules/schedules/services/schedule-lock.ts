import { isTransientTransactionError } from '@trellis/db';
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
/** Times a schedule transaction is run in all when Postgres aborts it for timing alone (a deadlock, say). */
const SCHEDULE_TRANSACTION_ATTEMPTS = 3;

/**
 * Runs `work` in a transaction holding a per-schedule Postgres advisory lock
 * (`pg_advisory_xact_lock(class, hashtext(id))`), released at commit or rollback. Every write to a schedule
 * (its row and its Temporal Schedule) goes through here, in this API and in any other instance, so
 * reconciliation never sees a half-applied change and never undoes a concurrent one. `work` may call
 * Temporal: if it throws, the row changes roll back.
 *
 * When Postgres aborts the transaction for timing alone (deadlock, serialization failure; see
 * `isTransientTransactionError`), the whole of `work` runs again, up to three times in all: every `work`
 * here reads the row afresh and writes Temporal's desired state, so running it twice is harmless.
 *
 * @param scheduleId the schedule's id (need not exist yet)
 * @throws whatever `work` throws; Prisma's transaction errors when the lock is not obtained in time
 */
export async function withScheduleLock<T>(
  prisma: TrellisPrismaClient,
  scheduleId: string,
  work: (tx: PrismaTransaction) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await prisma.$transaction(
        async (tx) => {
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SCHEDULE_LOCK_CLASS}::int, hashtext(${scheduleId}))`;
          return work(tx);
        },
        { timeout: SCHEDULE_TRANSACTION_TIMEOUT_MS, maxWait: SCHEDULE_TRANSACTION_TIMEOUT_MS },
      );
    } catch (error) {
      if (attempt >= SCHEDULE_TRANSACTION_ATTEMPTS || !isTransientTransactionError(error)) throw error;
    }
  }
}
