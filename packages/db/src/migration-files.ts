/**
 * Reading migrations from disk, in Prisma's layout:
 * `<migrationsDir>/<timestamp>_<name>/migration.sql`, applied in name order.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrationChecksum } from './migration-checksum.js';
import { MigrationFileMissingError } from './migration-errors.js';

/** One migration as found on disk. */
export interface MigrationFile {
  /** The folder name, e.g. `20261122000000_init`; stored as `migration_name`. */
  name: string;
  /** Absolute path of its `migration.sql`. */
  path: string;
  /** The SQL script, decoded as UTF-8. */
  script: string;
  /** Lowercase hex SHA-256 of the file's bytes (see {@link migrationChecksum}). */
  checksum: string;
}

/**
 * The repository's `prisma/migrations` folder, resolved from this module's location
 * (`packages/db/dist/` or `packages/db/src/` are both three levels below the root).
 */
export const DEFAULT_MIGRATIONS_DIR: string = fileURLToPath(new URL('../../../prisma/migrations', import.meta.url));

/**
 * Lists the migrations in `migrationsDir`, sorted by folder name (the order Prisma applies them).
 * Plain files such as `migration_lock.toml` are ignored, as Prisma does.
 *
 * @throws MigrationFileMissingError when a migration folder has no `migration.sql` (Prisma's P3015).
 * @throws Error (ENOENT) when `migrationsDir` does not exist.
 */
export async function readMigrationFiles(migrationsDir: string = DEFAULT_MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    // Plain code-unit order, like Rust's string ordering in the schema engine (not locale order).
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return Promise.all(
    names.map(async (name) => {
      const path = join(migrationsDir, name, 'migration.sql');
      let bytes: Buffer;
      try {
        bytes = await readFile(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new MigrationFileMissingError(name, path);
        throw error;
      }
      return { name, path, script: bytes.toString('utf8'), checksum: migrationChecksum(bytes) };
    }),
  );
}
