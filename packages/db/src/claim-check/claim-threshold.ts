/** The size above which a payload is stored in Postgres instead of travelling through workflow history. */

/**
 * Default threshold: 128 KiB (bytes of the protobuf-encoded payload), half of the 256 KB at which a
 * self-hosted Temporal server starts warning about a payload (it rejects them at 2 MB; see
 * https://docs.temporal.io/self-hosted-guide/defaults).
 */
export const DEFAULT_CLAIM_CHECK_THRESHOLD_BYTES = 128 * 1024;

/** The environment variable {@link readClaimCheckThreshold} reads. */
export const CLAIM_CHECK_THRESHOLD_ENV = 'TRELLIS_CLAIM_CHECK_THRESHOLD_BYTES';

/**
 * Reads `TRELLIS_CLAIM_CHECK_THRESHOLD_BYTES` (a positive integer number of bytes); unset or empty gives
 * {@link DEFAULT_CLAIM_CHECK_THRESHOLD_BYTES}.
 *
 * @throws Error naming the variable and its value when it is not a positive safe integer (decimal digits only).
 */
export function readClaimCheckThreshold(env: Record<string, string | undefined>): number {
  const raw = env[CLAIM_CHECK_THRESHOLD_ENV]?.trim();
  if (raw === undefined || raw === '') return DEFAULT_CLAIM_CHECK_THRESHOLD_BYTES;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new Error(`${CLAIM_CHECK_THRESHOLD_ENV} must be a positive integer number of bytes, got ${JSON.stringify(raw)}`);
  }
  return value;
}
