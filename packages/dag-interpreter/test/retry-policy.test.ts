/** Retry policies with Trellis's defaults, and the waits between attempts as Temporal computes them. */
import { describe, expect, it } from 'vitest';
import { resolvedRetryPolicy, retryDelayMs } from '../dist/retry-policy.js';

describe('retry policy', () => {
  it('fills in three attempts, 1 s and a coefficient of 2, capping the wait at 100 × the first', () => {
    const policy = resolvedRetryPolicy({});
    expect(policy).toEqual({ maximumAttempts: 3, initialIntervalMs: 1_000, backoffCoefficient: 2, maximumIntervalMs: undefined, nonRetryableErrorTypes: undefined });
    expect([1, 2, 3].map((attempt) => retryDelayMs(policy, attempt))).toEqual([1_000, 2_000, null]);
    const unlimited = resolvedRetryPolicy({ retry: { maximumAttempts: 0, initialInterval: '2s' } });
    expect(retryDelayMs(unlimited, 1)).toBe(2_000);
    expect(retryDelayMs(unlimited, 20)).toBe(200_000);
  });

  it('grows by the coefficient up to maximumInterval', () => {
    const policy = resolvedRetryPolicy({ retry: { maximumAttempts: 10, initialInterval: '500ms', backoffCoefficient: 3, maximumInterval: '10s' } });
    expect([1, 2, 3, 4, 5].map((attempt) => retryDelayMs(policy, attempt))).toEqual([500, 1_500, 4_500, 10_000, 10_000]);
  });
});
