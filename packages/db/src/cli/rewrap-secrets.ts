#!/usr/bin/env node
/**
 * `npm run secrets:rewrap` (`node packages/db/dist/cli/rewrap-secrets.js`): after a rotation of
 * `TRELLIS_SECRET_KEY`, re-seals the vault's data keys and the webhook secrets under the new key (see
 * `rewrapSecrets`), against the database named by `DATABASE_URL`.
 *
 * Exit codes: 0 success, 1 a row could not be opened with the listed keys (or the database failed),
 * 2 `DATABASE_URL` or `TRELLIS_SECRET_KEY` missing.
 */
import { createPrismaClient } from '../client.js';
import { redactDatabaseUrl } from '../database-url.js';
import { rewrapSecrets } from '../secrets/rewrap.js';

async function main(): Promise<number> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    process.stderr.write('DATABASE_URL is not set: export the postgresql:// URL of the Trellis database.\n');
    return 2;
  }
  if (!process.env.TRELLIS_SECRET_KEY?.trim()) {
    process.stderr.write('TRELLIS_SECRET_KEY is not set: export the new key, and the old one in TRELLIS_PREVIOUS_SECRET_KEYS.\n');
    return 2;
  }
  const prisma = createPrismaClient(databaseUrl);
  try {
    process.stdout.write(`re-sealing secrets in ${redactDatabaseUrl(databaseUrl)}\n`);
    const report = await rewrapSecrets(prisma, process.env);
    process.stdout.write(`${report.dataKeys} workspace data keys and ${report.webhookSecrets} webhook secrets re-sealed under the current key\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`rewrap failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await prisma.$disconnect();
  }
}

process.exitCode = await main();
