/**
 * Recognising Postgres errors behind Prisma's error wrappers.
 *
 * Prisma 7 with `@prisma/adapter-pg` maps some SQLSTATEs onto generic Prisma codes (for instance
 * 23001 `restrict_violation` becomes P2003 "Foreign key constraint violated"); the original code and
 * message survive only in `error.meta.driverAdapterError.cause`.
 */

/** SQLSTATE the init migration's trigger raises when an `agent_versions` row is updated. */
const RESTRICT_VIOLATION = '23001';

/** Marker in that trigger's message (`agent versions are immutable (version <id>)`). */
const IMMUTABLE_VERSION_MESSAGE = 'agent versions are immutable';

interface DriverAdapterCause {
  originalCode?: unknown;
  originalMessage?: unknown;
}

/**
 * The original Postgres SQLSTATE and message of an error thrown by Prisma (through the pg adapter)
 * or by node-postgres directly; `undefined` when the error does not carry one.
 */
export function postgresErrorDetails(error: unknown): { code: string; message: string } | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const cause = (error as { meta?: { driverAdapterError?: { cause?: DriverAdapterCause } } }).meta?.driverAdapterError?.cause;
  if (cause && typeof cause.originalCode === 'string') {
    return { code: cause.originalCode, message: typeof cause.originalMessage === 'string' ? cause.originalMessage : '' };
  }
  // node-postgres' DatabaseError carries the SQLSTATE as `code` (five characters).
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && typeof message === 'string') return { code, message };
  return undefined;
}

/** Whether `error` is the database refusing to change an existing agent version (they are immutable). */
export function isAgentVersionImmutableError(error: unknown): boolean {
  const details = postgresErrorDetails(error);
  return details?.code === RESTRICT_VIOLATION && details.message.includes(IMMUTABLE_VERSION_MESSAGE);
}

/**
 * SQLSTATEs after which running the whole transaction again may succeed: `40001` serialization_failure,
 * `40P01` deadlock_detected and `55P03` lock_not_available (PostgreSQL manual, appendix A "Error Codes").
 */
const TRANSIENT_SQLSTATES = new Set(['40001', '40P01', '55P03']);

/** Prisma's code for "Transaction failed due to a write conflict or a deadlock". */
const PRISMA_WRITE_CONFLICT = 'P2034';

/**
 * Whether `error` aborted a transaction for a reason of timing alone (a deadlock, a serialization
 * failure, a lock not obtained), so that running the same transaction again may succeed.
 */
export function isTransientTransactionError(error: unknown): boolean {
  if ((error as { code?: unknown } | null)?.code === PRISMA_WRITE_CONFLICT) return true;
  const details = postgresErrorDetails(error);
  return details !== undefined && TRANSIENT_SQLSTATES.has(details.code);
}
