import { WebhookError } from './webhook-error.js';

/** Longest `?wait=`, in seconds: longer waits tie up connections and outlast most proxies' timeouts. */
export const MAX_WAIT_SECONDS = 60;
/** Longest `Idempotency-Key`, in characters (the same bound as `startRun`'s `idempotencyKey`). */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

/**
 * Parses `?wait=<seconds>`: absent means 0 (do not wait).
 *
 * @returns the wait in ms, 0 to {@link MAX_WAIT_SECONDS} × 1000
 * @throws WebhookError 400 `BAD_REQUEST` for anything but one integer from 0 to {@link MAX_WAIT_SECONDS}
 */
export function parseWaitMs(value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value !== 'string' || !/^\d{1,3}$/.test(value) || Number(value) > MAX_WAIT_SECONDS) {
    throw new WebhookError(400, 'BAD_REQUEST', `wait must be an integer number of seconds from 0 to ${MAX_WAIT_SECONDS}`);
  }
  return Number(value) * 1000;
}

/**
 * Reads the `Idempotency-Key` header, trimmed.
 *
 * @returns null when absent
 * @throws WebhookError 400 `BAD_REQUEST` when repeated, blank or longer than {@link MAX_IDEMPOTENCY_KEY_LENGTH}
 */
export function parseIdempotencyKey(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  const key = typeof value === 'string' ? value.trim() : '';
  if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw new WebhookError(
      400,
      'BAD_REQUEST',
      `Idempotency-Key must be one value of 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`,
    );
  }
  return key;
}

/**
 * Decodes the body as UTF-8 JSON, the run's input. An empty body is `{}`, as `startRun` without `input`.
 *
 * @throws WebhookError 400 `INVALID_JSON` for invalid UTF-8 or JSON
 */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body)) as unknown;
  } catch {
    throw new WebhookError(400, 'INVALID_JSON', 'The body is not valid UTF-8 JSON');
  }
}
