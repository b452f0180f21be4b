import { expect } from 'vitest';
import { MockActivityEnvironment } from '@temporalio/testing';

/**
 * Awaits a promise that must reject with an instance of `type`, and returns that error for further
 * assertions (fails the test if it resolves or rejects with something else).
 */
export async function rejectionOf<T>(promise: Promise<unknown>, type: abstract new (...args: never[]) => T): Promise<T> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  return error as T;
}

/** Keeps the worker's "Activity failed" warnings out of the test output. */
const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** An activity context for calling activities directly, with the given attempt number (default 1). */
export function activityEnvironment(info: { attempt?: number } = {}): MockActivityEnvironment {
  return new MockActivityEnvironment(info, { logger: silent });
}
