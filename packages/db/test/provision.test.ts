// provisionDatabase: DATABASE_URL passthrough, and the embedded Postgres lifecycle on a real cluster.
import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { provisionDatabase, ProvisionError } from '@trellis/db';
import { freePort } from '@trellis/test-support';

async function canConnect(port: number): Promise<boolean> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', connectionTimeoutMillis: 2_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.end();
    return true;
  } catch (error) {
    // Refused means nothing listens; any other error (e.g. auth) means a server answered.
    return (error as NodeJS.ErrnoException).code !== 'ECONNREFUSED';
  }
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('provisionDatabase', () => {
  const savedEnv = { DATABASE_URL: process.env.DATABASE_URL, TRELLIS_EMBEDDED_PG_PORT: process.env.TRELLIS_EMBEDDED_PG_PORT };
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'trellis-provision-'));
    // mkdtemp makes a private 0700 folder; the embedded server may run as the `postgres` user (we are root here).
    await chmod(dataDir, 0o755);
  });
  afterEach(async () => {
    for (const [key, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  it('returns DATABASE_URL when set and starts nothing', async () => {
    const port = await freePort();
    process.env.DATABASE_URL = 'postgresql://someone@db.example.invalid:6543/app';
    process.env.TRELLIS_EMBEDDED_PG_PORT = String(port);
    const database = await provisionDatabase({ dataDir });
    expect(database.url).toBe('postgresql://someone@db.example.invalid:6543/app');
    expect(database.embedded).toBe(false);
    expect(await readdir(dataDir)).toEqual([]);
    expect(await canConnect(port)).toBe(false);
    await database.stop();
  });

  it('rejects a TRELLIS_EMBEDDED_PG_PORT that is not a port', async () => {
    delete process.env.DATABASE_URL;
    process.env.TRELLIS_EMBEDDED_PG_PORT = 'eighty';
    await expect(provisionDatabase({ dataDir })).rejects.toThrow(ProvisionError);
  });

  it('starts an embedded Postgres, creates "trellis", stops, and restarts on the same data keeping rows', async () => {
    delete process.env.DATABASE_URL;
    const port = await freePort();
    process.env.TRELLIS_EMBEDDED_PG_PORT = String(port);
    const logs: string[] = [];
    const log = (line: string): void => void logs.push(line);

    const first = await provisionDatabase({ dataDir, log });
    try {
      expect(first.embedded).toBe(true);
      expect(first.url).toMatch(new RegExp(`^postgresql://postgres:[^@]+@127\\.0\\.0\\.1:${port}/trellis$`));
      expect(logs.some((line) => line.startsWith('initialising a new Postgres cluster'))).toBe(true);
      expect(await query(first.url, 'SELECT current_database() AS name')).toEqual([{ name: 'trellis' }]);
      await query(first.url, `CREATE TABLE kept (value TEXT); INSERT INTO kept VALUES ('survives restarts')`);
    } finally {
      await first.stop();
    }
    await first.stop(); // idempotent
    expect(await canConnect(port)).toBe(false);

    logs.length = 0;
    const second = await provisionDatabase({ dataDir, log });
    try {
      expect(second.url).toBe(first.url);
      expect(logs.some((line) => line.startsWith('initialising'))).toBe(false);
      expect(await query(second.url, 'SELECT value FROM kept')).toEqual([{ value: 'survives restarts' }]);
    } finally {
      await second.stop();
    }
    expect(await canConnect(port)).toBe(false);
  });

  it('explains a start failure, quoting Postgres, when the port is taken', async () => {
    delete process.env.DATABASE_URL;
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    process.env.TRELLIS_EMBEDDED_PG_PORT = String((blocker.address() as { port: number }).port);
    try {
      const error = await provisionDatabase({ dataDir }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ProvisionError);
      expect((error as Error).message).toMatch(/starting the server on port \d+ failed/);
      expect((error as Error).message).toContain('DATABASE_URL');
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it.runIf(process.getuid?.() === 0)('as root, refuses a data folder the postgres user cannot reach, saying why', async () => {
    delete process.env.DATABASE_URL;
    process.env.TRELLIS_EMBEDDED_PG_PORT = String(await freePort());
    await chmod(dataDir, 0o700);
    const error = await provisionDatabase({ dataDir }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProvisionError);
    expect((error as Error).message).toContain(`cannot enter ${dataDir}`);
  });
});
