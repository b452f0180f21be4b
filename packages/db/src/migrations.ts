/**
 * Applies the SQL migrations under `prisma/migrations` without Prisma's schema engine, recording
 * them in Prisma's `_prisma_migrations` table exactly as `prisma migrate deploy` does, so either
 * tool can take over from the other on the same database.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { schemaFromDatabaseUrl } from './database-url.js';
import { checksumMatchesScript } from './migration-checksum.js';
import {
  FailedMigrationsRecordedError,
  MigrationChecksumMismatchError,
  MigrationLockTimeoutError,
  MigrationScriptError,
} from './migration-errors.js';
import { DEFAULT_MIGRATIONS_DIR, readMigrationFiles, type MigrationFile } from './migration-files.js';

/**
 * The advisory-lock key Prisma's schema engine takes on Postgres (`SELECT pg_advisory_lock(72707369)`,
 * visible in the engine bundled with the `prisma` 7 package). Using the same key serialises this
 * applier with concurrent `prisma migrate` runs as well as with itself.
 */
export const PRISMA_MIGRATE_ADVISORY_LOCK_KEY = 72707369;

/**
 * `_prisma_migrations` as Prisma's schema engine creates it on Postgres (same columns, types,
 * nullability and defaults; copied from the DDL string in the engine shipped with `prisma` 7).
 */
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`;

/** Options for {@link applyMigrations}. */
export interface ApplyMigrationsOptions {
  /** Folder holding `<name>/migration.sql` folders. Defaults to the repository's `prisma/migrations`. */
  migrationsDir?: string;
  /** Receives one human-readable line per event (lock taken, migration applied, ...). Defaults to silence. */
  log?: (line: string) => void;
  /**
   * How long to wait for another migrator to release the advisory lock, in ms. Defaults to 60 000:
   * longer than Prisma's 10 s because concurrent starters should wait out a long migration, not fail.
   */
  lockTimeoutMs?: number;
}

/** What {@link applyMigrations} did, each list in application order. */
export interface ApplyMigrationsResult {
  /** Migrations applied by this call. */
  applied: string[];
  /** Migrations found already applied (by anyone) and left alone. */
  alreadyApplied: string[];
}

/** One row of `_prisma_migrations`, as far as the applier needs it. */
interface MigrationRecord {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Brings a database up to date with the migrations on disk.
 *
 * Steps: take Prisma's migration advisory lock (so concurrent starters apply each migration once),
 * create `_prisma_migrations` if absent, check the recorded history, then apply each pending
 * migration in name order, each in its own transaction together with its `_prisma_migrations` row,
 * so a failing migration leaves neither tables nor a record behind.
 *
 * Differences from `prisma migrate deploy`, on purpose: a failed migration is rolled back and not
 * recorded (Prisma records it as failed and then refuses to continue); and an applied migration whose
 * file changed is refused here, where `deploy` only reports it through `migrate status`/`migrate dev`.
 * Migration scripts must therefore not contain their own `BEGIN`/`COMMIT`, nor statements Postgres
 * forbids inside a transaction (such as `CREATE INDEX CONCURRENTLY`).
 *
 * A `?schema=NAME` URL parameter (Prisma's convention) makes the migrations run in that schema,
 * created if absent, as Prisma does.
 *
 * @param databaseUrl A `postgresql://` URL of the database to migrate (which must exist).
 * @returns The names of the migrations applied now and of those already applied.
 * @throws FailedMigrationsRecordedError when a migration is recorded as started but neither finished nor rolled back.
 * @throws MigrationChecksumMismatchError when an applied migration's file no longer matches its recorded checksum.
 * @throws MigrationScriptError when a migration's SQL fails (that migration and later ones are not applied).
 * @throws MigrationLockTimeoutError when the advisory lock is not obtained within `lockTimeoutMs`.
 * @throws MigrationFileMissingError when a migration folder lacks its migration.sql.
 * @throws Error from node-postgres when the database cannot be reached.
 */
export async function applyMigrations(
  databaseUrl: string,
  options: ApplyMigrationsOptions = {},
): Promise<ApplyMigrationsResult> {
  const log = options.log ?? (() => {});
  const lockTimeoutMs = options.lockTimeoutMs ?? 60_000;
  const files = await readMigrationFiles(options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR);

  const client = new pg.Client({ connectionString: databaseUrl });
  // Connection errors surface through the pending query; without a listener they would crash the process.
  client.on('error', () => {});
  await client.connect();
  try {
    await useSchemaFromUrl(client, databaseUrl);
    await acquireMigrationLock(client, lockTimeoutMs);
    log('acquired the migration lock');
    try {
      await client.query(CREATE_MIGRATIONS_TABLE);
      const records = await readMigrationRecords(client);
      const appliedNames = checkHistory(records, files, log);
      const alreadyApplied = files.filter((file) => appliedNames.has(file.name)).map((file) => file.name);
      const applied: string[] = [];
      for (const file of files) {
        if (appliedNames.has(file.name)) continue;
        await applyOne(client, file);
        applied.push(file.name);
        log(`applied migration ${file.name}`);
      }
      if (applied.length === 0) log('no pending migrations');
      return { applied, alreadyApplied };
    } finally {
      // If this fails the connection is gone, and closing it releases the lock anyway.
      await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_ADVISORY_LOCK_KEY]).catch(() => {});
    }
  } finally {
    await client.end();
  }
}

/** Switches the session to the URL's `?schema=` schema, creating it if needed (as Prisma does). */
async function useSchemaFromUrl(client: pg.Client, databaseUrl: string): Promise<void> {
  const schema = schemaFromDatabaseUrl(databaseUrl);
  if (schema === undefined) return;
  const identifier = client.escapeIdentifier(schema);
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${identifier}`);
  await client.query(`SET search_path TO ${identifier}`);
}

/** Takes the session-level advisory lock, waiting at most `timeoutMs` (enforced by `lock_timeout`). */
async function acquireMigrationLock(client: pg.Client, timeoutMs: number): Promise<void> {
  await client.query(`SELECT set_config('lock_timeout', $1, false)`, [`${Math.max(1, Math.round(timeoutMs))}ms`]);
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_ADVISORY_LOCK_KEY]);
  } catch (error) {
    // 55P03 lock_not_available: lock_timeout expired.
    if ((error as { code?: string }).code === '55P03') throw new MigrationLockTimeoutError(timeoutMs);
    throw error;
  } finally {
    await client.query('RESET lock_timeout');
  }
}

async function readMigrationRecords(client: pg.Client): Promise<MigrationRecord[]> {
  const result = await client.query<MigrationRecord>(
    'SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at, migration_name',
  );
  return result.rows;
}

/**
 * Validates the recorded history against the files, as Prisma does before applying anything.
 *
 * @returns The names of migrations that count as applied (finished and not rolled back).
 */
function checkHistory(records: MigrationRecord[], files: MigrationFile[], log: (line: string) => void): Set<string> {
  const failed = records.filter((record) => record.finished_at === null && record.rolled_back_at === null);
  if (failed.length > 0) throw new FailedMigrationsRecordedError(failed.map((record) => record.migration_name));

  const filesByName = new Map(files.map((file) => [file.name, file]));
  const applied = new Set<string>();
  for (const record of records) {
    if (record.rolled_back_at !== null) continue;
    const file = filesByName.get(record.migration_name);
    if (file === undefined) {
      log(`warning: migration ${record.migration_name} is recorded as applied but missing from the migrations folder`);
    } else if (!checksumMatchesScript(file.script, record.checksum)) {
      throw new MigrationChecksumMismatchError(record.migration_name, record.checksum, file.checksum);
    }
    applied.add(record.migration_name);
  }
  return applied;
}

/** Runs one migration and records it, atomically. */
async function applyOne(client: pg.Client, file: MigrationFile): Promise<void> {
  await client.query('BEGIN');
  try {
    // `now()` is the transaction start, i.e. when the migration started; clock_timestamp() is when it ended.
    await client.query(file.script);
    await client.query(
      `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
       VALUES ($1, $2, clock_timestamp(), $3, NULL, NULL, now(), 1)`,
      [randomUUID(), file.checksum, file.name],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw new MigrationScriptError(file.name, error);
  }
}
