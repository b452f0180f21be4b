// @ts-check
/**
 * Local Temporal for development and tests: find or build the pinned Temporal CLI, run its dev
 * server on a SQLite file, or use an existing server named by TEMPORAL_ADDRESS.
 *
 * Library: `import { ensureTemporal } from '../temporal/dev-server.mjs'` (types: dev-server.d.mts, generated from this JSDoc by the build).
 * Command: `node temporal/dev-server.mjs [--data-dir DIR]` starts a server until SIGINT/SIGTERM.
 */
import { realpathSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { resolveTemporalCli, stderrLog } from './resolve-cli.mjs';
import { DEFAULT_NAMESPACE, DEFAULT_PORT, startDevServer } from './start-dev-server.mjs';

export {
  NO_INSTALL_ENV,
  TEMPORAL_CLI_GO_MODULE,
  TEMPORAL_CLI_VERSION,
  cachedCliPath,
  resolveTemporalCli,
  temporalCacheDir,
} from './resolve-cli.mjs';
export { DEFAULT_READY_TIMEOUT_MS, STOP_GRACE_MS, startDevServer } from './start-dev-server.mjs';

/** @typedef {import('./resolve-cli.mjs').Log} Log */

/**
 * A Temporal server to talk to: either one started here or an existing one.
 * @typedef {object} TemporalEndpoint
 * @property {string} address frontend gRPC `host:port`
 * @property {string} namespace
 * @property {string} [uiUrl] Web UI URL; unknown (undefined) for an existing server
 * @property {() => Promise<void>} stop stops a server started here and waits for it to exit; no-op for an existing one
 */

/**
 * Returns a Temporal server to use. With `TEMPORAL_ADDRESS` set, that server is used and nothing
 * is started. Otherwise the CLI is resolved (see `resolveTemporalCli`) and a dev server is started
 * on `TEMPORAL_PORT` (default 7233; UI on port + 1000) with its database in `dataDir`.
 * `TEMPORAL_NAMESPACE` names the namespace (default `default`) in both cases.
 *
 * @param {{ dataDir: string; log?: Log; env?: NodeJS.ProcessEnv }} options `env` defaults to `process.env`
 * @returns {Promise<TemporalEndpoint>}
 * @throws {Error} if `TEMPORAL_PORT` is not a port number, no CLI can be found, or the server does
 *   not start (see `startDevServer`)
 */
export async function ensureTemporal({ dataDir, log = stderrLog, env = process.env }) {
  const namespace = env.TEMPORAL_NAMESPACE || DEFAULT_NAMESPACE;
  if (env.TEMPORAL_ADDRESS) {
    log(`using the Temporal server at TEMPORAL_ADDRESS=${env.TEMPORAL_ADDRESS} (namespace ${namespace})`);
    return { address: env.TEMPORAL_ADDRESS, namespace, uiUrl: undefined, stop: async () => {} };
  }
  const server = await startFromEnv({ dataDir, log, env });
  return { address: server.address, namespace: server.namespace, uiUrl: server.uiUrl, stop: () => server.stop() };
}

/**
 * Resolves the CLI and starts a dev server configured by TEMPORAL_PORT / TEMPORAL_NAMESPACE.
 *
 * @param {{ dataDir: string; log: Log; env: NodeJS.ProcessEnv; logFile?: string }} options
 * @returns {Promise<import('./start-dev-server.mjs').DevServer>}
 */
async function startFromEnv({ dataDir, log, env, logFile }) {
  const port = parsePort(env.TEMPORAL_PORT);
  const namespace = env.TEMPORAL_NAMESPACE || DEFAULT_NAMESPACE;
  const { path: cliPath, source } = await resolveTemporalCli({ log, env });
  log(`using Temporal CLI ${cliPath} (found via ${source})`);
  return startDevServer({ cliPath, dataDir, port, namespace, log, logFile });
}

/**
 * @param {string | undefined} value
 * @returns {number}
 */
function parsePort(value) {
  if (!value) return DEFAULT_PORT;
  const port = Number(value);
  // The UI takes port + 1000, which must be a valid port too.
  if (!Number.isInteger(port) || port < 1 || port > 65535 - 1000) {
    throw new Error(`TEMPORAL_PORT=${value} is not a port number between 1 and 64535`);
  }
  return port;
}

/** `$TRELLIS_DATA_DIR/temporal`, else `<repo>/.data/temporal` (git-ignored). */
function defaultDataDir() {
  const base = process.env.TRELLIS_DATA_DIR || fileURLToPath(new URL('../.data', import.meta.url));
  return join(base, 'temporal');
}

async function main() {
  const { values } = parseArgs({ options: { 'data-dir': { type: 'string' } } });
  if (process.env.TEMPORAL_ADDRESS) {
    const existing = await ensureTemporal({ dataDir: '' });
    process.stdout.write(`Temporal address: ${existing.address}\nNamespace: ${existing.namespace}\n`);
    return; // nothing of ours to keep running
  }
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  const logFile = join(dataDir, 'server.log');
  await mkdir(dataDir, { recursive: true });
  const server = await startFromEnv({ dataDir, log: stderrLog, env: process.env, logFile });
  process.stdout.write(
    `Temporal address: ${server.address}\nNamespace: ${server.namespace}\nWeb UI: ${server.uiUrl}\n` +
      `Data: ${dataDir}\nServer log: ${logFile}\nStop with Ctrl-C.\n`,
  );
  let stopping = false;
  /** @param {NodeJS.Signals} signal */
  const shutdown = async (signal) => {
    stopping = true;
    stderrLog(`${signal}: stopping the Temporal dev server`);
    await server.stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  const { code, signal } = await server.exited;
  if (!stopping) {
    stderrLog(`the Temporal dev server exited unexpectedly (${signal ?? `exit code ${code}`}); see ${logFile}`);
    process.exit(1);
  }
}

/** True when this file is the program being run, not an import. */
function isMainModule() {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMainModule()) {
  main().catch((error) => {
    stderrLog(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
