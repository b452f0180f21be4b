// A deadlock between two real transactions is recognised as transient (worth running again); other
// constraint errors are not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTransientTransactionError } from '@trellis/db';
import { createTestDatabase, type TestDatabase } from '@trellis/test-support/database';

describe('isTransientTransactionError', () => {
  let database: TestDatabase;
  let first: string;
  let second: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    first = (await database.prisma.agent.create({ data: { name: 'deadlock-a' } })).id;
    second = (await database.prisma.agent.create({ data: { name: 'deadlock-b' } })).id;
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('recognises the deadlock Postgres breaks between two transactions locking rows in opposite orders', async () => {
    let bothHoldOne!: () => void;
    let holders = 0;
    const holding = new Promise<void>((resolve) => (bothHoldOne = resolve));
    const lockInOrder = (ids: [string, string]) =>
      database.prisma.$transaction(
        async (tx) => {
          await tx.$executeRaw`SELECT 1 FROM agents WHERE id = ${ids[0]}::uuid FOR UPDATE`;
          holders += 1;
          if (holders === 2) bothHoldOne();
          await holding;
          await tx.$executeRaw`SELECT 1 FROM agents WHERE id = ${ids[1]}::uuid FOR UPDATE`;
        },
        { timeout: 20_000 },
      );
    const outcomes = await Promise.allSettled([lockInOrder([first, second]), lockInOrder([second, first])]);
    const failures = outcomes.filter((outcome) => outcome.status === 'rejected');
    // Postgres aborts exactly one of them (deadlock_detected) and the other commits.
    expect(failures).toHaveLength(1);
    expect(isTransientTransactionError((failures[0] as PromiseRejectedResult).reason)).toBe(true);
  });

  it('does not take a constraint violation or a plain error for a transient one', async () => {
    const duplicate = await database.prisma.agent.create({ data: { name: 'deadlock-a' } }).catch((caught: unknown) => caught);
    expect(duplicate).toBeInstanceOf(Error);
    expect(isTransientTransactionError(duplicate)).toBe(false);
    expect(isTransientTransactionError(new Error('deadlock'))).toBe(false);
    expect(isTransientTransactionError(null)).toBe(false);
  });
});
