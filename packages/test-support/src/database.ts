/**
 * Throwaway Postgres databases for tests: each test file (or test) gets its own, migrated with the
 * project's migrations, and drops it afterwards.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { applyMigrations, createPrismaClient, type PrismaClient } from '@trellis/db';

/** Admin server used when `TEST_ADMIN_DATABASE_URL` is unset: the local Postgres, trust auth. */
export const DEFAULT_TEST_ADMIN_DATABASE_URL = 'postgresql://root@127.0.0.1:5432/test';

/** A database created for one test run. */
export interface TestDatabase {
  /** `postgresql://` URL of the new database. */
  url: string;
  /** Its name, `trellis_test_<random>`. */
  name: string;
  /** A client on it (connects lazily). */
  prisma: PrismaClient;
  /** Disconnects `prisma` and drops the database, closing any other connection to it (`WITH (FORCE)`). */
  drop(): Promise<void>;
}

/** Options for {@link createTestDatabase}. */
export interface CreateTestDatabaseOptions {
  /** Apply the project's migrations (default `true`); `false` gives an empty database. */
  migrate?: boolean;
}

/**
 * Creates a uniquely named database on the admin server (`TEST_ADMIN_DATABASE_URL`, default
 * {@link DEFAULT_TEST_ADMIN_DATABASE_URL}; its role needs CREATEDB), applies the migrations with
 * `applyMigrations`, and returns a Prisma client on it. Call `drop()` when done, e.g. in `afterAll`.
 *
 * @throws Error when the admin server is unreachable or the migrations fail (the database is dropped first).
 */
export async function createTestDatabase(options: CreateTestDatabaseOptions = {}): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_ADMIN_DATABASE_URL || DEFAULT_TEST_ADMIN_DATABASE_URL;
  const name = `trellis_test_${randomBytes(6).toString('hex')}`;
  await runAdminStatement(adminUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const dropDatabase = (): Promise<void> => runAdminStatement(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  try {
    if (options.migrate ?? true) await applyMigrations(databaseUrl);
  } catch (error) {
    await dropDatabase();
    throw error;
  }
  const prisma = createPrismaClient(databaseUrl);
  return {
    url: databaseUrl,
    name,
    prisma,
    drop: async () => {
      await prisma.$disconnect();
      await dropDatabase();
    },
  };
}

/** Runs one statement on the admin database; `name` above is generated, so inlining it is safe. */
async function runAdminStatement(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
