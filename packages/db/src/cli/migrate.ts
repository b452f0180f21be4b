#!/usr/bin/env node
/**
 * `node packages/db/dist/cli/migrate.js`: applies pending migrations to the database named by
 * `DATABASE_URL` (with `prisma migrate deploy` when a real schema engine is configured, else the
 * built-in applier; see `migrateDeploy`) and prints what it applied.
 *
 * Exit codes: 0 success, 1 migration refused or failed, 2 `DATABASE_URL` missing.
 */
import { redactDatabaseUrl } from '../database-url.js';
import { migrateDeploy } from '../migrate-deploy.js';

async function main(): Promise<number> {
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl === undefined || databaseUrl === '') {
    process.stderr.write('DATABASE_URL is not set: export the postgresql:// URL of the database to migrate.\n');
    return 2;
  }
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  log(`migrating ${redactDatabaseUrl(databaseUrl)}`);
  try {
    const result = await migrateDeploy(databaseUrl, { log });
    for (const name of result.applied) log(`applied: ${name}`);
    log(`${result.applied.length} applied, ${result.alreadyApplied.length} already applied (via ${result.via})`);
    return 0;
  } catch (error) {
    process.stderr.write(`migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

process.exitCode = await main();
