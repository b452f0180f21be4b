import { describe, expect, it } from 'vitest';
import { toCompensation } from '../dist/modules/runs/dtos/compensation.type.js';

describe('toCompensation', () => {
  it('maps the stored CompensationState, parsing ISO timestamps and the error', () => {
    expect(
      toCompensation({
        status: 'FAILED',
        attempts: 2,
        error: { message: 'refund refused', type: 'HttpStatusError', attempts: 2 },
        startedAt: '2026-11-22T10:00:00.000Z',
        finishedAt: '2026-11-22T10:00:01.500Z',
      }),
    ).toEqual({
      status: 'FAILED',
      attempts: 2,
      output: null,
      error: { message: 'refund refused', type: 'HttpStatusError', nodeId: null, attempts: 2 },
      startedAt: new Date('2026-11-22T10:00:00.000Z'),
      finishedAt: new Date('2026-11-22T10:00:01.500Z'),
    });
    expect(toCompensation({ status: 'SUCCEEDED', attempts: 1, output: { refunded: true }, startedAt: '2026-11-22T10:00:00Z' })).toMatchObject({
      status: 'SUCCEEDED',
      output: { refunded: true },
      error: null,
      finishedAt: null,
    });
  });

  it('gives null when nothing recognizable is stored', () => {
    expect(toCompensation(null)).toBeNull();
    expect(toCompensation(undefined)).toBeNull();
    expect(toCompensation('SUCCEEDED')).toBeNull();
    expect(toCompensation([{ status: 'SUCCEEDED' }])).toBeNull();
    expect(toCompensation({ status: 'DONE', attempts: 1 })).toBeNull();
  });

  it('tolerates stray fields', () => {
    expect(toCompensation({ status: 'RUNNING', attempts: 'two', startedAt: 'yesterday', finishedAt: 5 })).toEqual({
      status: 'RUNNING',
      attempts: 0,
      output: null,
      error: null,
      startedAt: null,
      finishedAt: null,
    });
  });
});
