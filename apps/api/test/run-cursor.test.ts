import { describe, expect, it } from 'vitest';
import { decodeRunCursor, encodeRunCursor } from '../dist/modules/runs/services/run-cursor.js';
import { TrellisException } from '../dist/common/exceptions/trellis-exception.js';

describe('run cursors', () => {
  it('round-trips a position', () => {
    const position = { startedAt: new Date('2026-01-02T03:04:05.678Z'), id: '3f0c5a52-7d43-4d51-9d1b-0a3c2b1e9f10' };
    const cursor = encodeRunCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeRunCursor(cursor, 'after')).toEqual(position);
  });

  it.each(['', 'not base64!', Buffer.from('{"a":1}').toString('base64url'), Buffer.from('["nope","x"]').toString('base64url')])(
    'rejects %j as BAD_USER_INPUT at the argument path',
    (cursor) => {
      try {
        decodeRunCursor(cursor, 'after');
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(TrellisException);
        expect(error).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ path: 'after' }] });
      }
    },
  );
});
