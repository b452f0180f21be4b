/**
 * Tokens of signed approval decision links: `<expiry>.<signature>`, where `expiry` is in Unix seconds and
 * `signature` is the base64url HMAC-SHA256 (RFC 2104) of `trellis.approval-decision.v1\n<approvalId>\n<expiry>`
 * under the API's secret key. The prefix keeps these signatures from ever matching another use of the key.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const PURPOSE = 'trellis.approval-decision.v1';
const TOKEN_PATTERN = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

/** Outcome of {@link verifyDecisionToken}. */
export type DecisionTokenCheck =
  | { ok: true; expiresAt: Date }
  | { ok: false; reason: 'invalid' }
  /** Genuine, but past its expiry. */
  | { ok: false; reason: 'expired'; expiresAt: Date };

/**
 * Signs a decision token for `approvalId`, valid until `expiresAt` (rounded down to the second).
 *
 * @param secretKey - the API's `TRELLIS_SECRET_KEY`
 */
export function signDecisionToken(secretKey: string, approvalId: string, expiresAt: Date): string {
  const expiry = Math.floor(expiresAt.getTime() / 1000);
  return `${expiry}.${signature(secretKey, approvalId, expiry).toString('base64url')}`;
}

/**
 * Checks that `token` was signed for `approvalId` with `secretKey` (constant-time comparison), then that
 * it has not expired at `now`. A malformed token or one for another approval is `invalid`.
 */
export function verifyDecisionToken(secretKey: string, approvalId: string, token: string, now = new Date()): DecisionTokenCheck {
  const match = TOKEN_PATTERN.exec(token);
  if (!match) return { ok: false, reason: 'invalid' };
  const expiry = Number(match[1]);
  const given = Buffer.from(match[2], 'base64url');
  const expected = signature(secretKey, approvalId, expiry);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };
  const expiresAt = new Date(expiry * 1000);
  return now.getTime() >= expiresAt.getTime() ? { ok: false, reason: 'expired', expiresAt } : { ok: true, expiresAt };
}

function signature(secretKey: string, approvalId: string, expiry: number): Buffer {
  return createHmac('sha256', secretKey).update(`${PURPOSE}\n${approvalId.toLowerCase()}\n${expiry}`).digest();
}
