// @ts-check
/**
 * Runs `temporal server start-dev` as a child process on a SQLite file, waits until its
 * frontend serves the namespace, and stops it again.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { stderrLog } from './resolve-cli.mjs';

/** Default frontend gRPC port (the CLI's own default). */
export const DEFAULT_PORT = 7233;
/** The UI listens on `port + UI_PORT_OFFSET` unless told otherwise (the CLI's own rule). */
export const UI_PORT_OFFSET = 1000;
/** Loopback only: the dev server skips security checks, so it must not be reachable from elsewhere. */
export const DEFAULT_IP = '127.0.0.1';
export const DEFAULT_NAMESPACE = 'default';
/** How long (ms) {@link startDevServer} waits for the frontend to serve the namespace. */
export const DEFAULT_READY_TIMEOUT_MS = 30_000;
/** How long (ms) `stop('SIGTERM')` waits before escalating to SIGKILL. */
export const STOP_GRACE_MS = 15_000;

/** Server output lines kept for error messages. */
const LOG_TAIL_LINES = 40;
const READY_POLL_INTERVAL_MS = 250;
const READY_PROBE_TIMEOUT_MS = 2_000;

/**
 * Dynamic config given to the server. CLI 1.5.1 (server 1.29.1) already enables workflow
 * updates (`frontend.enableUpdateWorkflowExecution`) and schedules (`frontend.enableSchedules`)
 * by default, so nothing is needed for those.
 * @type {Record<string, unknown>}
 */
const DYNAMIC_CONFIG = {
  // Otherwise the server periodically calls Temporal's version-check service: useless for a
  // local server and a stream of failures when offline.
  'frontend.enableServerVersionCheck': false,
};

/** @typedef {import('./resolve-cli.mjs').Log} Log */
/** @typedef {{ code: number | null; signal: NodeJS.Signals | null }} DevServerExit */

/**
 * A running dev server.
 * @typedef {object} DevServer
 * @property {string} address frontend gRPC `host:port`, for `Connection.connect({ address })`
 * @property {string} uiUrl Web UI base URL (`http://host:uiPort`)
 * @property {string} namespace the namespace it serves
 * @property {number} pid process id of the server
 * @property {Promise<DevServerExit>} exited settles when the process has exited (for whatever reason)
 * @property {(signal?: 'SIGTERM' | 'SIGKILL') => Promise<void>} stop sends `signal` (default SIGTERM,
 *   escalated to SIGKILL after {@link STOP_GRACE_MS}) and resolves once the process has exited
 */

/**
 * @typedef {object} StartDevServerOptions
 * @property {string} cliPath the Temporal CLI binary (see `resolveTemporalCli`)
 * @property {string} dataDir directory for `temporal.db` (created if missing); restarting on the same
 *   directory keeps every workflow execution
 * @property {number} [port] frontend gRPC port (default 7233)
 * @property {number} [uiPort] Web UI port (default `port + 1000`)
 * @property {string} [namespace] namespace to create and wait for (default `default`)
 * @property {string} [ip] address to bind (default 127.0.0.1)
 * @property {Log} [log] progress lines (default: stderr)
 * @property {string} [logFile] file to append the server's own (JSON) output to
 * @property {number} [readyTimeoutMs] readiness deadline in ms (default {@link DEFAULT_READY_TIMEOUT_MS})
 */

/**
 * Starts `temporal server start-dev` and resolves once the frontend answers
 * `DescribeNamespace` for the namespace.
 *
 * @param {StartDevServerOptions} options
 * @returns {Promise<DevServer>}
 * @throws {Error} if the process cannot be spawned, exits before it is ready (e.g. port in use), or
 *   is not ready within `readyTimeoutMs` (the process is then killed); the message ends with the
 *   server's last output lines
 */
export async function startDevServer({
  cliPath,
  dataDir,
  port = DEFAULT_PORT,
  uiPort = port + UI_PORT_OFFSET,
  namespace = DEFAULT_NAMESPACE,
  ip = DEFAULT_IP,
  log = stderrLog,
  logFile,
  readyTimeoutMs = DEFAULT_READY_TIMEOUT_MS,
}) {
  await mkdir(dataDir, { recursive: true });
  const host = ip.includes(':') ? `[${ip}]` : ip;
  const address = `${host}:${port}`;
  const uiUrl = `http://${host}:${uiPort}`;
  const args = [
    'server', 'start-dev',
    '--db-filename', join(dataDir, 'temporal.db'),
    '--ip', ip,
    '--port', String(port),
    '--ui-port', String(uiPort),
    '--log-format', 'json',
    '--log-level', 'warn',
    // Runs carry their workspace id in it (filter runs by workspace in the UI).
    '--search-attribute', 'TrellisWorkspace=Keyword',
    // "default" is always created; naming it again would register it twice.
    ...(namespace === DEFAULT_NAMESPACE ? [] : ['--namespace', namespace]),
    ...Object.entries(DYNAMIC_CONFIG).flatMap(([key, value]) => ['--dynamic-config-value', `${key}=${JSON.stringify(value)}`]),
  ];
  log(`starting Temporal dev server on ${address} (UI ${uiUrl}, data ${dataDir})`);

  const child = spawn(cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = logFile ? createWriteStream(logFile, { flags: 'a' }) : undefined;
  /** @type {string[]} */
  const tail = [];
  /** @param {string} line */
  const onLine = (line) => {
    tail.push(line);
    if (tail.length > LOG_TAIL_LINES) tail.shift();
    output?.write(`${line}\n`);
  };
  createInterface({ input: child.stdout }).on('line', onLine);
  createInterface({ input: child.stderr }).on('line', onLine);

  /** @type {DevServerExit | undefined} */
  let exitInfo;
  /** @type {Promise<DevServerExit>} */
  const exited = new Promise((resolve) => {
    // 'close' (not 'exit') so the last output lines are in `tail` and the log file.
    child.once('close', (code, signal) => {
      exitInfo = { code, signal };
      output?.end();
      process.off('exit', terminateOnParentExit);
      resolve(exitInfo);
    });
  });
  /** @type {Promise<never>} */
  const spawnFailed = new Promise((_, reject) => {
    child.once('error', (error) => reject(new Error(`cannot run ${cliPath}: ${error.message}`)));
  });
  spawnFailed.catch(() => {}); // only awaited during startup; a later 'error' must not crash the process
  // Never leave an orphaned server behind if this process exits without calling stop().
  function terminateOnParentExit() {
    child.kill('SIGTERM');
  }
  process.on('exit', terminateOnParentExit);

  const withTail = (/** @type {string} */ message) =>
    new Error(`${message}\n--- last Temporal server output ---\n${tail.join('\n') || '(none)'}`);

  /** @type {'ready' | 'exited'} */
  let outcome;
  try {
    outcome = await Promise.race([
      waitUntilServing(address, namespace, Date.now() + readyTimeoutMs, () => exitInfo !== undefined).then(() => /** @type {const} */ ('ready')),
      exited.then(() => /** @type {const} */ ('exited')),
      spawnFailed,
    ]);
  } catch (error) {
    process.off('exit', terminateOnParentExit);
    if (!exitInfo && child.pid !== undefined) {
      child.kill('SIGKILL');
      await exited;
    }
    throw error instanceof ReadyTimeoutError ? withTail(error.message) : error;
  }
  if (outcome === 'exited' || exitInfo) {
    const info = exitInfo ?? (await exited);
    throw withTail(`Temporal dev server exited before it was ready (${info.signal ?? `exit code ${info.code}`})`);
  }

  /** @param {'SIGTERM' | 'SIGKILL'} [signal] */
  async function stop(signal = 'SIGTERM') {
    if (exitInfo) return;
    child.kill(signal);
    /** @type {NodeJS.Timeout | undefined} */
    let escalation;
    if (signal !== 'SIGKILL') {
      escalation = setTimeout(() => {
        log(`Temporal dev server (pid ${child.pid}) ignored ${signal} for ${STOP_GRACE_MS} ms; sending SIGKILL`);
        child.kill('SIGKILL');
      }, STOP_GRACE_MS);
    }
    await exited;
    clearTimeout(escalation);
  }

  return { address, uiUrl, namespace, pid: /** @type {number} */ (child.pid), exited, stop };
}

class ReadyTimeoutError extends Error {}

/**
 * Polls until the frontend at `address` answers DescribeNamespace for `namespace`.
 *
 * @param {string} address
 * @param {string} namespace
 * @param {number} deadline epoch ms
 * @param {() => boolean} hasExited stops polling once the process is gone
 * @returns {Promise<void>}
 * @throws {ReadyTimeoutError} at the deadline
 */
async function waitUntilServing(address, namespace, deadline, hasExited) {
  let lastError = 'no attempt made';
  while (!hasExited()) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    // A fresh lazy connection per probe: it is always closed (no channel left retrying in the
    // background) and avoids gRPC's growing reconnect backoff. The deadline bounds a peer that
    // accepts TCP but never answers.
    const connection = Connection.lazy({ address });
    try {
      await connection.withDeadline(Date.now() + Math.min(READY_PROBE_TIMEOUT_MS, remaining), () =>
        connection.workflowService.describeNamespace({ namespace }),
      );
      return;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    } finally {
      await connection.close();
    }
    await delay(READY_POLL_INTERVAL_MS);
  }
  if (hasExited()) return; // the caller reports the exit, with the server's output
  throw new ReadyTimeoutError(`Temporal dev server at ${address} was not serving namespace "${namespace}" within the deadline (last error: ${lastError})`);
}
