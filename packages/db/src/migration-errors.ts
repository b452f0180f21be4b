/**
 * Errors thrown by the migration applier. All extend {@link MigrationError}, so callers can
 * catch one type; each carries a stable `code` (Prisma's error code where one exists).
 */

/** Base class of every error {@link applyMigrations} throws on purpose. */
export class MigrationError extends Error {
  /** A stable machine-readable code. */
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A migration folder without its `migration.sql` (Prisma's P3015). */
export class MigrationFileMissingError extends MigrationError {
  constructor(
    readonly migrationName: string,
    readonly path: string,
  ) {
    super('P3015', `Migration "${migrationName}" has no migration.sql (expected ${path}).`);
  }
}

/**
 * The database records migrations that started and neither finished nor were rolled back
 * (Prisma's P3009). Nothing is applied until they are resolved.
 */
export class FailedMigrationsRecordedError extends MigrationError {
  constructor(readonly migrationNames: string[]) {
    super(
      'P3009',
      `The database records failed migrations: ${migrationNames.join(', ')}. New migrations will not be applied. ` +
        'Fix the database by hand, then mark each one with `prisma migrate resolve --rolled-back <name>` ' +
        '(or `--applied <name>`) before migrating again.',
    );
  }
}

/** An applied migration's file changed after it was applied: its checksum no longer matches. */
export class MigrationChecksumMismatchError extends MigrationError {
  constructor(
    readonly migrationName: string,
    readonly storedChecksum: string,
    readonly fileChecksum: string,
  ) {
    super(
      'MIGRATION_CHECKSUM_MISMATCH',
      `Migration "${migrationName}" was modified after it was applied (recorded checksum ${storedChecksum}, ` +
        `file checksum ${fileChecksum}). Applied migrations must not be edited: restore the file and put the change ` +
        'in a new migration.',
    );
  }
}

/** A migration's SQL failed; its transaction was rolled back, so nothing of it was stored. */
export class MigrationScriptError extends MigrationError {
  constructor(
    readonly migrationName: string,
    cause: unknown,
  ) {
    super(
      'P3018',
      `Migration "${migrationName}" failed and was rolled back (nothing of it was applied or recorded): ` +
        `${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
}

/** Another process held the migration lock for longer than the allowed wait (Prisma's P1002). */
export class MigrationLockTimeoutError extends MigrationError {
  constructor(readonly timeoutMs: number) {
    super(
      'P1002',
      `Timed out after ${timeoutMs} ms waiting for the migration advisory lock: another process is migrating this database.`,
    );
  }
}
