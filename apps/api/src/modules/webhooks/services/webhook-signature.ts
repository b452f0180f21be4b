import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header carrying the signing time, in Unix seconds. */
export const TIMESTAMP_HEADER = 'x-trellis-timestamp';
/**
 * Header carrying `sha256=` + hex HMAC-SHA256, keyed with the secret's UTF-8 bytes, over
 * `<timestamp>.<raw body>` (as Stripe and Slack sign their webhooks).
 */
export const SIGNATURE_HEADER = 'x-trellis-signature';
/** Signatures older than this are refused, so a captured request cannot be replayed later (seconds). */
export const MAX_SIGNATURE_AGE_SECONDS = 5 * 60;
/** Clock skew tolerated for timestamps in the future (seconds). */
export const MAX_CLOCK_SKEW_SECONDS = 60;

const SIGNATURE_FORMAT = /^sha256=([0-9a-f]{64})$/i;
const TIMESTAMP_FORMAT = /^\d{1,15}$/;

/** Outcome of {@link verifyWebhookSignature}: the reason is safe to show the caller. */
export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/**
 * Checks a call's {@link TIMESTAMP_HEADER} and {@link SIGNATURE_HEADER} against the secret: the timestamp
 * must be at most {@link MAX_SIGNATURE_AGE_SECONDS} old and at most {@link MAX_CLOCK_SKEW_SECONDS} ahead,
 * and the signature must match in constant time (`crypto.timingSafeEqual`).
 *
 * @param headers the request's headers as Node gives them (a repeated header arrives as an array and is refused)
 * @param nowMs the current time (ms since the epoch)
 */
export function verifyWebhookSignature(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
  nowMs: number,
): SignatureCheck {
  const timestamp = headers[TIMESTAMP_HEADER];
  const signature = headers[SIGNATURE_HEADER];
  if (typeof timestamp !== 'string' || typeof signature !== 'string') {
    return { ok: false, reason: 'X-Trellis-Timestamp and X-Trellis-Signature headers are required' };
  }
  const trimmedTimestamp = timestamp.trim();
  if (!TIMESTAMP_FORMAT.test(trimmedTimestamp)) {
    return { ok: false, reason: 'X-Trellis-Timestamp must be Unix seconds' };
  }
  const ageSeconds = Math.floor(nowMs / 1000) - Number(trimmedTimestamp);
  if (ageSeconds > MAX_SIGNATURE_AGE_SECONDS) {
    return { ok: false, reason: `X-Trellis-Timestamp is more than ${MAX_SIGNATURE_AGE_SECONDS} seconds old` };
  }
  if (ageSeconds < -MAX_CLOCK_SKEW_SECONDS) {
    return { ok: false, reason: 'X-Trellis-Timestamp is in the future' };
  }
  const match = SIGNATURE_FORMAT.exec(signature.trim());
  if (!match) return { ok: false, reason: 'X-Trellis-Signature must be sha256=<64 hex digits>' };
  const expected = digest(secret, trimmedTimestamp, body);
  // Both are 32 bytes here, as timingSafeEqual requires.
  if (!timingSafeEqual(expected, Buffer.from(match[1], 'hex'))) {
    return { ok: false, reason: 'Signature does not match' };
  }
  return { ok: true };
}

function digest(secret: string, timestamp: string, body: Buffer): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
}
