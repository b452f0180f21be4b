import { describe, expect, it } from 'vitest';
import { decodeKeysetCursor, encodeKeysetCursor } from '../dist/common/pagination/keyset-cursor.js';
import { TrellisException } from '../dist/common/exceptions/trellis-exception.js';

describe('keyset cursors', () => {
  it('round-trips a position', () => {
    const position = { at: new Date('2026-01-02T03:04:05.678Z'), id: '3f0c5a52-7d43-4d51-9d1b-0a3c2b1e9f10' };
    const cursor = encodeKeysetCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeKeysetCursor(cursor, 'after')).toEqual(position);
  });

  it.each(['', 'not base64!', Buffer.from('{"a":1}').toString('base64url'), Buffer.from('["nope","x"]').toString('base64url')])(
    'rejects %j as BAD_USER_INPUT at the argument path',
    (cursor) => {
      try {
        decodeKeysetCursor(cursor, 'after');
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(TrellisException);
        expect(error).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ path: 'after' }] });
      }
    },
  );
});
