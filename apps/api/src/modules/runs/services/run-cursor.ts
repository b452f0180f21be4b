import { TrellisException } from '../../../common/exceptions/trellis-exception.js';

/** Position of a run in the `startedAt desc, id desc` order. */
export interface RunCursor {
  startedAt: Date;
  id: string;
}

/** Encodes a position as an opaque base64url string. */
export function encodeRunCursor(cursor: RunCursor): string {
  return Buffer.from(JSON.stringify([cursor.startedAt.toISOString(), cursor.id])).toString('base64url');
}

/**
 * Decodes a cursor produced by {@link encodeRunCursor}.
 *
 * @param argumentName the GraphQL argument it came from, used as the issue path
 * @throws TrellisException `BAD_USER_INPUT` when the cursor was not produced by this API
 */
export function decodeRunCursor(encoded: string, argumentName: string): RunCursor {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
    if (Array.isArray(decoded) && decoded.length === 2) {
      const [startedAt, id] = decoded as unknown[];
      const date = typeof startedAt === 'string' ? new Date(startedAt) : new Date(Number.NaN);
      if (!Number.isNaN(date.getTime()) && typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id)) {
        return { startedAt: date, id };
      }
    }
  } catch {
    // Fall through: malformed base64 or JSON is the same mistake as a wrong shape.
  }
  throw TrellisException.badUserInput(`Invalid argument ${argumentName}`, [
    { path: argumentName, message: 'is not a cursor returned by this API' },
  ]);
}
