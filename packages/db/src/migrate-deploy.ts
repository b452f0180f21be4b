/**
 * `migrateDeploy`: Prisma's own `prisma migrate deploy` where its schema engine is installed,
 * otherwise this package's {@link applyMigrations}. Both record migrations identically in
 * `_prisma_migrations`, so a database can move between the two freely.
 */
import { execFile, spawn } from 'node:child_process';
import { access, constants, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { schemaFromDatabaseUrl } from './database-url.js';
import { MigrationError } from './migration-errors.js';
import { DEFAULT_MIGRATIONS_DIR, readMigrationFiles } from './migration-files.js';
import { applyMigrations, type ApplyMigrationsOptions, type ApplyMigrationsResult } from './migrations.js';

const execFileAsync = promisify(execFile);

/** The repository root, where `prisma.config.ts` lives (three levels above `packages/db/dist/`). */
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Which tool {@link migrateDeploy} used. */
export type MigrationTool = 'prisma-migrate-deploy' | 'applier';

/** What {@link migrateDeploy} did. */
export interface MigrateDeployResult extends ApplyMigrationsResult {
  /** `prisma-migrate-deploy` when Prisma's CLI ran, `applier` when {@link applyMigrations} did. */
  via: MigrationTool;
}

/**
 * Applies pending migrations with the best tool available.
 *
 * Uses `prisma migrate deploy` when the environment variable `PRISMA_SCHEMA_ENGINE_BINARY` names a real
 * schema engine: an executable file whose `--version` output starts with `schema-engine` (so the
 * placeholder `scripts/prisma-generate.mjs` points it at, to let `prisma generate` run without
 * the engine, does not count), the `prisma` CLI package is installed, and `migrationsDir` is the
 * default one (the CLI reads its folder from `prisma.config.ts`). Otherwise, and that is the usual
 * case since the CLI cannot download its engine on machines without internet, it uses
 * {@link applyMigrations}. Prisma is preferred where present because it is the reference
 * implementation of the `_prisma_migrations` protocol.
 *
 * @param databaseUrl A `postgresql://` URL of the database to migrate.
 * @param options As for {@link applyMigrations}; `lockTimeoutMs` only applies to the applier.
 * @throws MigrationError (code `PRISMA_MIGRATE_DEPLOY_FAILED`) when `prisma migrate deploy` exits non-zero;
 *   otherwise whatever {@link applyMigrations} throws.
 */
export async function migrateDeploy(databaseUrl: string, options: ApplyMigrationsOptions = {}): Promise<MigrateDeployResult> {
  const log = options.log ?? (() => {});
  const usesDefaultDir =
    options.migrationsDir === undefined || resolve(options.migrationsDir) === resolve(DEFAULT_MIGRATIONS_DIR);
  const engine = await findSchemaEngineBinary(process.env);
  const prismaCli = engine === undefined || !usesDefaultDir ? undefined : findPrismaCli();
  if (engine === undefined || prismaCli === undefined) {
    log('using the built-in migration applier (no usable Prisma schema engine)');
    return { ...(await applyMigrations(databaseUrl, options)), via: 'applier' };
  }
  log(`using prisma migrate deploy (schema engine ${engine})`);
  return { ...(await runPrismaMigrateDeploy(databaseUrl, prismaCli, engine, log)), via: 'prisma-migrate-deploy' };
}

/**
 * The schema engine named by `PRISMA_SCHEMA_ENGINE_BINARY`, if it is a real one: an executable file
 * that answers `--version` with `schema-engine...` within 10 s. Returns `undefined` otherwise (unset,
 * missing, not executable, or a placeholder).
 *
 * @param env The environment to read (normally `process.env`).
 */
export async function findSchemaEngineBinary(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const candidate = env.PRISMA_SCHEMA_ENGINE_BINARY;
  if (candidate === undefined || candidate === '') return undefined;
  try {
    if (!(await stat(candidate)).isFile()) return undefined;
    await access(candidate, constants.X_OK);
    const { stdout } = await execFileAsync(candidate, ['--version'], { timeout: 10_000 });
    return /^schema-engine/i.test(stdout.trim()) ? candidate : undefined;
  } catch {
    return undefined;
  }
}

/** Path of the installed Prisma CLI entry point, or `undefined` when `prisma` is not installed. */
function findPrismaCli(): string | undefined {
  try {
    // `prisma`'s package exports do not expose build/, so locate it through package.json.
    const packageJson = createRequire(import.meta.url).resolve('prisma/package.json');
    return join(dirname(packageJson), 'build', 'index.js');
  } catch {
    return undefined;
  }
}

async function runPrismaMigrateDeploy(
  databaseUrl: string,
  prismaCli: string,
  engine: string,
  log: (line: string) => void,
): Promise<ApplyMigrationsResult> {
  const files = await readMigrationFiles();
  const before = await finishedMigrationNames(databaseUrl);
  const output: string[] = [];
  const exitCode = await new Promise<number | null>((resolvePromise, reject) => {
    const child = spawn(process.execPath, [prismaCli, 'migrate', 'deploy'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        PRISMA_SCHEMA_ENGINE_BINARY: engine,
        PRISMA_HIDE_UPDATE_MESSAGE: '1',
        CHECKPOINT_DISABLE: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const onData = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').split(/\r?\n/)) {
        if (line.trim() === '') continue;
        output.push(line);
        log(`[prisma] ${line}`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', resolvePromise);
  });
  if (exitCode !== 0) {
    throw new MigrationError(
      'PRISMA_MIGRATE_DEPLOY_FAILED',
      `prisma migrate deploy exited with code ${exitCode}:\n${output.slice(-20).join('\n')}`,
    );
  }
  const after = await finishedMigrationNames(databaseUrl);
  return {
    applied: files.filter((file) => after.has(file.name) && !before.has(file.name)).map((file) => file.name),
    alreadyApplied: files.filter((file) => before.has(file.name)).map((file) => file.name),
  };
}

/** Names of finished, not rolled back migrations; empty when `_prisma_migrations` does not exist yet. */
async function finishedMigrationNames(databaseUrl: string): Promise<Set<string>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on('error', () => {});
  await client.connect();
  try {
    const schema = schemaFromDatabaseUrl(databaseUrl);
    if (schema !== undefined) await client.query(`SET search_path TO ${client.escapeIdentifier(schema)}`);
    const exists = await client.query<{ present: boolean }>(
      `SELECT to_regclass('_prisma_migrations') IS NOT NULL AS present`,
    );
    if (!exists.rows[0].present) return new Set();
    const result = await client.query<{ migration_name: string }>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    return new Set(result.rows.map((row) => row.migration_name));
  } finally {
    await client.end();
  }
}
