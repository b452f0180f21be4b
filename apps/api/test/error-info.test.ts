import { describe, expect, it } from 'vitest';
import { toErrorInfo } from '../dist/common/graphql/error-info.type.js';

describe('toErrorInfo', () => {
  it('maps the stored shape and fills absent fields with null', () => {
    expect(toErrorInfo({ message: 'boom', type: 'HttpStatusError', attempts: 3 })).toEqual({
      message: 'boom',
      type: 'HttpStatusError',
      nodeId: null,
      attempts: 3,
    });
    expect(toErrorInfo({ message: 'node failed', nodeId: 'fetch' })).toMatchObject({ nodeId: 'fetch', attempts: null });
  });

  it('tolerates missing and odd values', () => {
    expect(toErrorInfo(null)).toBeNull();
    expect(toErrorInfo(undefined)).toBeNull();
    expect(toErrorInfo('plain text')).toEqual({ message: 'plain text' });
    expect(toErrorInfo({ type: 7, attempts: 1.5 })).toEqual({ message: 'Unknown error', type: null, nodeId: null, attempts: null });
  });
});
