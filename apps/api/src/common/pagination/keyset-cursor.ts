import { TrellisException } from '../exceptions/trellis-exception.js';

/**
 * Position of a row in a `<timestamp> desc, id desc` order (runs by `startedAt`, audit events by
 * `occurredAt`): the key of keyset pagination, which stays stable while rows are added.
 */
export interface KeysetCursor {
  at: Date;
  id: string;
}

/** Encodes a position as an opaque base64url string. */
export function encodeKeysetCursor(cursor: KeysetCursor): string {
  return Buffer.from(JSON.stringify([cursor.at.toISOString(), cursor.id])).toString('base64url');
}

/**
 * Decodes a cursor produced by {@link encodeKeysetCursor}.
 *
 * @param argumentName the GraphQL argument it came from, used as the issue path
 * @throws TrellisException `BAD_USER_INPUT` when the cursor was not produced by this API
 */
export function decodeKeysetCursor(encoded: string, argumentName: string): KeysetCursor {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
    if (Array.isArray(decoded) && decoded.length === 2) {
      const [at, id] = decoded as unknown[];
      const date = typeof at === 'string' ? new Date(at) : new Date(Number.NaN);
      if (!Number.isNaN(date.getTime()) && typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id)) {
        return { at: date, id };
      }
    }
  } catch {
    // Fall through: malformed base64 or JSON is the same mistake as a wrong shape.
  }
  throw TrellisException.badUserInput(`Invalid argument ${argumentName}`, [
    { path: argumentName, message: 'is not a cursor returned by this API' },
  ]);
}
