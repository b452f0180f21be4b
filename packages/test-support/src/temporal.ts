/**
 * A private Temporal dev server per caller, on free loopback ports: the global setup's shared one, and
 * the one of a test that stops or restarts its server. (Test files reach the shared one through
 * `testTemporalAddress` of `@trellis/test-support/worker`.)
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveTemporalCli, startDevServer } from '../../../temporal/dev-server.mjs';
import { freePorts } from './ports.js';

/** A dev server as `startDevServer` returns it: `address`, `namespace`, `stop(signal?)`, `exited`, … */
type DevServer = Awaited<ReturnType<typeof startDevServer>>;
/** What `DevServer.stop` sends the process. */
type StopSignal = Parameters<DevServer['stop']>[0];
/** Where the Temporal CLI was found. */
type ResolvedCli = Awaited<ReturnType<typeof resolveTemporalCli>>;

/** A test's dev server, plus the directory its `temporal.db` lives in. */
export type TestTemporal = DevServer & {
  /** Pass this back as `dataDir` to restart a server on the same database (only if you gave it: see below). */
  dataDir: string;
};

/** Starting on a port another process grabbed in the meantime fails; retry with fresh ports this often. */
const START_ATTEMPTS = 3;

let cliPath: Promise<string> | undefined;

/** Resolves the Temporal CLI once per process; a failed attempt is retried on the next call. */
function temporalCliPath(): Promise<string> {
  if (cliPath === undefined) {
    // Annotated: the callbacks assign `cliPath`, which otherwise makes their parameters' inference circular.
    const resolving: Promise<string> = resolveTemporalCli().then(
      (cli: ResolvedCli) => cli.path,
      (error: unknown) => {
        cliPath = undefined;
        throw error;
      },
    );
    cliPath = resolving;
  }
  return cliPath;
}

/**
 * Starts a Temporal dev server for a test on free 127.0.0.1 ports, namespace `default`.
 *
 * @param options.dataDir directory for `temporal.db`; give the same one again (after `stop()`) to
 *   restart on the same database. Without it a fresh temp directory is used, and `stop()` deletes it.
 * @returns the running server; always `await server.stop()` (e.g. in `afterAll`)
 * @throws Error if no Temporal CLI can be found (see `resolveTemporalCli`), or the server fails to
 *   start {@link START_ATTEMPTS} times (the last error)
 */
export async function startTestTemporal(options: { dataDir?: string } = {}): Promise<TestTemporal> {
  const cli = await temporalCliPath();
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(scratchDir(), 'trellis-temporal-')));
  let lastError: unknown;
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    const [port, uiPort] = await freePorts(2);
    try {
      const server = await startDevServer({ cliPath: cli, dataDir, port, uiPort, log: () => {} });
      if (!ownsDataDir) return { ...server, dataDir };
      return {
        ...server,
        dataDir,
        stop: async (signal?: StopSignal) => {
          await server.stop(signal);
          await rm(dataDir, { recursive: true, force: true });
        },
      };
    } catch (error) {
      lastError = error;
    }
  }
  if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
  throw lastError;
}

/**
 * Where test servers keep their SQLite file: tmpfs when the machine has one, because SQLite syncs every
 * commit and a disk-backed file makes the server several times slower under load.
 */
function scratchDir(): string {
  return existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
}
