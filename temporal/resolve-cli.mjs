// @ts-check
/**
 * Finds (or, as a last resort, builds or downloads) the Temporal CLI binary whose
 * `server start-dev` command is the local Temporal server. Plain JavaScript so it runs
 * before any TypeScript build; types live in JSDoc and `dev-server.d.mts`.
 */
import { spawn, execFile } from 'node:child_process';
import { constants as fsConstants, readFileSync } from 'node:fs';
import { access, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline';
import { clearInterval, setInterval } from 'node:timers';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** @type {{ cli: string; goModule: string }} */
const pinned = JSON.parse(readFileSync(new URL('./version.json', import.meta.url), 'utf8'));

/** The pinned Temporal CLI release (from `temporal/version.json`), without a leading `v`. */
export const TEMPORAL_CLI_VERSION = pinned.cli;

/** The Go package that `go install` builds the CLI from (from `temporal/version.json`). */
export const TEMPORAL_CLI_GO_MODULE = pinned.goModule;

/**
 * Set to `1` to skip the `go install` and SDK-download steps (tests use it to check the
 * "nothing found" error without a multi-minute build or a network call).
 */
export const NO_INSTALL_ENV = 'TRELLIS_TEMPORAL_NO_INSTALL';

/** Upper bound (ms) on the SDK's download + first start; the download itself cannot be cancelled. */
export const SDK_DOWNLOAD_TIMEOUT_MS = 10 * 60_000;

/** Upper bound (ms) on a `temporal --version` / `go version -m` probe. */
const PROBE_TIMEOUT_MS = 15_000;

/** How often (ms) a running `go install` reports that it is still busy. */
const GO_INSTALL_HEARTBEAT_MS = 30_000;

const EXE_SUFFIX = process.platform === 'win32' ? '.exe' : '';
const CLI_FILE_NAME = `temporal${EXE_SUFFIX}`;

/** @typedef {(message: string) => void} Log */
/** @typedef {'TEMPORAL_CLI_PATH' | 'PATH' | 'cache' | 'go-install' | 'sdk-download'} CliSource */
/** @typedef {{ path: string; source: CliSource }} ResolvedCli */

/**
 * Default logger: one `[temporal]`-prefixed line on stderr (stdout stays free for results).
 * @type {Log}
 */
export const stderrLog = (message) => {
  process.stderr.write(`[temporal] ${message}\n`);
};

/**
 * The directory this project caches the pinned CLI in: `<user cache>/trellis/temporal-<version>`,
 * where the user cache is `$XDG_CACHE_HOME` or `~/.cache`. It lives outside the clone so
 * CI caches and repeated runs reuse one build.
 *
 * @param {NodeJS.ProcessEnv} [env] environment to read `XDG_CACHE_HOME` from (default `process.env`)
 * @returns {string} absolute directory path (may not exist yet)
 */
export function temporalCacheDir(env = process.env) {
  const userCache = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(userCache, 'trellis', `temporal-${TEMPORAL_CLI_VERSION}`);
}

/**
 * Path of the cached CLI binary: `<temporalCacheDir>/temporal` (`temporal.exe` on Windows).
 *
 * @param {NodeJS.ProcessEnv} [env] environment (default `process.env`)
 * @returns {string}
 */
export function cachedCliPath(env = process.env) {
  return join(temporalCacheDir(env), CLI_FILE_NAME);
}

/**
 * Locates a Temporal CLI, trying in order:
 * 1. `TEMPORAL_CLI_PATH` (must be an executable file, else this throws);
 * 2. a `temporal` on `PATH` (a version other than the pinned one is used, with a logged note);
 * 3. the cached build at {@link cachedCliPath};
 * 4. `go install <goModule>@v<version>` into the cache (a few minutes on a cold Go cache);
 * 5. the Temporal TypeScript SDK's own cached download (`@temporalio/testing`), moved into the cache.
 * Steps 4 and 5 are skipped when `TRELLIS_TEMPORAL_NO_INSTALL=1`.
 *
 * @param {{ log?: Log; env?: NodeJS.ProcessEnv }} [options] `log` receives progress lines
 *   (default: stderr); `env` is the environment to read and pass to child processes (default `process.env`)
 * @returns {Promise<ResolvedCli>} absolute path of the binary and which step found it
 * @throws {Error} if `TEMPORAL_CLI_PATH` is not an executable file, or every step failed; the
 *   message lists what was tried and the ways to fix it (install the CLI, set TEMPORAL_CLI_PATH,
 *   set TEMPORAL_ADDRESS, or run Temporal with Docker)
 */
export async function resolveTemporalCli({ log = stderrLog, env = process.env } = {}) {
  /** @type {string[]} */
  const tried = [];

  const explicit = env.TEMPORAL_CLI_PATH;
  if (explicit) {
    if (!(await isExecutableFile(explicit))) {
      throw new Error(`TEMPORAL_CLI_PATH=${explicit} is not an executable file.`);
    }
    return { path: explicit, source: 'TEMPORAL_CLI_PATH' };
  }
  tried.push('TEMPORAL_CLI_PATH: not set');

  const onPath = await findOnPath(CLI_FILE_NAME, env);
  if (onPath) {
    await noteIfNotPinned(onPath, env, log);
    return { path: onPath, source: 'PATH' };
  }
  tried.push('`temporal` on PATH: not found');

  const cached = cachedCliPath(env);
  if (await isRunnableCli(cached, env)) return { path: cached, source: 'cache' };
  tried.push(`cached build at ${cached}: absent or not runnable`);

  if (env[NO_INSTALL_ENV] === '1') {
    tried.push(`go install and SDK download: disabled by ${NO_INSTALL_ENV}=1`);
    throw notFoundError(tried, env);
  }

  try {
    const built = await goInstallIntoCache(env, log);
    if (built) return { path: built, source: 'go-install' };
    tried.push('go install: `go` is not on PATH');
  } catch (error) {
    tried.push(`go install: ${errorMessage(error)}`);
    log(`go install failed; trying the Temporal SDK's download next`);
  }

  try {
    return { path: await sdkDownloadIntoCache(env, log), source: 'sdk-download' };
  } catch (error) {
    tried.push(`Temporal SDK download: ${errorMessage(error)}`);
  }
  throw notFoundError(tried, env);
}

/**
 * @param {string[]} tried one line per step and why it did not yield a binary
 * @param {NodeJS.ProcessEnv} env
 */
function notFoundError(tried, env) {
  return new Error(
    [
      `No Temporal CLI found (pinned version ${TEMPORAL_CLI_VERSION}). Tried:`,
      ...tried.map((line) => `  - ${line}`),
      'Fix it one of these ways:',
      '  - install the Temporal CLI (https://docs.temporal.io/cli) and put `temporal` on PATH, or set TEMPORAL_CLI_PATH=/path/to/temporal;',
      `  - install Go and rerun: it builds \`go install ${TEMPORAL_CLI_GO_MODULE}@v${TEMPORAL_CLI_VERSION}\` into ${temporalCacheDir(env)}${env[NO_INSTALL_ENV] === '1' ? ` (unset ${NO_INSTALL_ENV})` : ''};`,
      '  - set TEMPORAL_ADDRESS=host:port to use an already running Temporal server;',
      '  - or start Temporal with Docker (docker compose, e.g. the temporalio/auto-setup image) and set TEMPORAL_ADDRESS to it.',
    ].join('\n'),
  );
}

/**
 * Logs a note when the CLI at `cliPath` is not the pinned release. Release builds print
 * `temporal version 1.5.1 (...)`; `go install` builds print `0.0.0-DEV`, so for those the Go
 * build info (`go version -m`) is read instead when `go` is available.
 *
 * @param {string} cliPath
 * @param {NodeJS.ProcessEnv} env
 * @param {Log} log
 */
async function noteIfNotPinned(cliPath, env, log) {
  const reported = await cliVersion(cliPath, env);
  if (reported === TEMPORAL_CLI_VERSION) return;
  const built = await goBuildModuleVersion(cliPath, env);
  if (built === TEMPORAL_CLI_VERSION) return;
  const found = built ? `${reported ?? 'an unknown version'}, built from v${built}` : (reported ?? 'an unknown version');
  log(`note: ${cliPath} (from PATH) is Temporal CLI ${found}, not the pinned ${TEMPORAL_CLI_VERSION}; using it anyway`);
}

/**
 * @param {string} cliPath
 * @param {NodeJS.ProcessEnv} env
 * @returns {Promise<string | undefined>} the version `temporal --version` reports, without `v`
 */
async function cliVersion(cliPath, env) {
  try {
    const { stdout } = await execFileAsync(cliPath, ['--version'], { env, timeout: PROBE_TIMEOUT_MS });
    return /version v?(\S+)/.exec(stdout)?.[1];
  } catch {
    return undefined;
  }
}

/**
 * @param {string} cliPath
 * @param {NodeJS.ProcessEnv} env
 * @returns {Promise<string | undefined>} the CLI module version recorded in the binary's Go build info, without `v`
 */
async function goBuildModuleVersion(cliPath, env) {
  const go = await findOnPath(`go${EXE_SUFFIX}`, env);
  if (!go) return undefined;
  try {
    const { stdout } = await execFileAsync(go, ['version', '-m', cliPath], { env, timeout: PROBE_TIMEOUT_MS });
    return /^\s*mod\s+github\.com\/temporalio\/cli\s+v(\S+)/m.exec(stdout)?.[1];
  } catch {
    return undefined;
  }
}

/**
 * Builds the pinned CLI with `go install` into a private directory and renames it into the
 * cache, so a concurrent reader never sees a half-written binary.
 *
 * @param {NodeJS.ProcessEnv} env
 * @param {Log} log
 * @returns {Promise<string | undefined>} the cached binary path, or undefined when `go` is not on PATH
 * @throws {Error} when `go install` exits non-zero (the message carries its last output lines)
 */
async function goInstallIntoCache(env, log) {
  const go = await findOnPath(`go${EXE_SUFFIX}`, env);
  if (!go) return undefined;
  const cacheDir = temporalCacheDir(env);
  const stagingDir = join(cacheDir, `.go-install-${process.pid}-${Date.now()}`);
  await mkdir(stagingDir, { recursive: true });
  const target = `${TEMPORAL_CLI_GO_MODULE}@v${TEMPORAL_CLI_VERSION}`;
  log(`building the Temporal CLI: go install ${target} (into ${cacheDir}); this takes a few minutes on a cold Go cache`);
  const startedAt = Date.now();
  try {
    await runGoInstall(go, target, { ...env, GOBIN: stagingDir }, log, startedAt);
    const destination = cachedCliPath(env);
    await rename(join(stagingDir, CLI_FILE_NAME), destination);
    log(`built the Temporal CLI in ${seconds(Date.now() - startedAt)}: ${destination}`);
    return destination;
  } finally {
    await rm(stagingDir, { recursive: true, force: true });
  }
}

/**
 * Runs `go install`, summarising its output: module downloads are counted rather than
 * echoed one by one, other lines are logged, and a heartbeat shows it is still working.
 *
 * @param {string} go path of the go binary
 * @param {string} target `module@version`
 * @param {NodeJS.ProcessEnv} env
 * @param {Log} log
 * @param {number} startedAt epoch ms
 * @returns {Promise<void>}
 */
function runGoInstall(go, target, env, log, startedAt) {
  return new Promise((resolve, reject) => {
    const child = spawn(go, ['install', target], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    /** @type {string[]} */
    const lastLines = [];
    let downloads = 0;
    /** @param {string} line */
    const onLine = (line) => {
      lastLines.push(line);
      if (lastLines.length > 20) lastLines.shift();
      if (line.startsWith('go: downloading ')) downloads += 1;
      else if (line.trim()) log(`go: ${line}`);
    };
    createInterface({ input: child.stdout }).on('line', onLine);
    createInterface({ input: child.stderr }).on('line', onLine);
    const heartbeat = setInterval(
      () => log(`still building (${seconds(Date.now() - startedAt)}, ${downloads} modules downloaded so far)`),
      GO_INSTALL_HEARTBEAT_MS,
    );
    child.on('error', (error) => {
      clearInterval(heartbeat);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearInterval(heartbeat);
      if (downloads > 0) log(`go downloaded ${downloads} modules`);
      if (code === 0) resolve();
      else reject(new Error(`go install ${target} failed (${signal ?? `exit ${code}`}) after ${seconds(Date.now() - startedAt)}:\n${lastLines.join('\n')}`));
    });
  });
}

/**
 * Lets the Temporal TypeScript SDK download the pinned CLI (it starts and stops a throw-away
 * dev server to do so), then moves the binary into the cache.
 *
 * @param {NodeJS.ProcessEnv} env
 * @param {Log} log
 * @returns {Promise<string>} the cached binary path
 * @throws {Error} when `@temporalio/testing` is not installed, the download fails or exceeds
 *   {@link SDK_DOWNLOAD_TIMEOUT_MS}
 */
async function sdkDownloadIntoCache(env, log) {
  /** @type {typeof import('@temporalio/testing')} */
  let testing;
  try {
    testing = await import('@temporalio/testing');
  } catch (error) {
    throw new Error(`@temporalio/testing is not installed (${errorMessage(error)})`, { cause: error });
  }
  const downloadDir = join(temporalCacheDir(env), 'sdk-download');
  await mkdir(downloadDir, { recursive: true });
  log(`downloading Temporal CLI v${TEMPORAL_CLI_VERSION} through the Temporal SDK into ${downloadDir}`);
  const startedAt = Date.now();
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${seconds(SDK_DOWNLOAD_TIMEOUT_MS)}`)), SDK_DOWNLOAD_TIMEOUT_MS);
  });
  try {
    const environment = await Promise.race([
      testing.TestWorkflowEnvironment.createLocal({
        server: {
          ip: '127.0.0.1',
          executable: { type: 'cached-download', downloadDir, version: `v${TEMPORAL_CLI_VERSION}` },
        },
      }),
      timeout,
    ]);
    await environment.teardown();
  } finally {
    clearTimeout(timer);
  }
  const downloaded = await findDownloadedCli(downloadDir);
  const destination = cachedCliPath(env);
  await rename(downloaded, destination);
  log(`downloaded the Temporal CLI in ${seconds(Date.now() - startedAt)}: ${destination}`);
  return destination;
}

/**
 * The SDK names its download `temporal-v<version>` (sdk-core's ephemeral_server module);
 * fall back to the newest `temporal*` file in case that naming changes.
 *
 * @param {string} downloadDir
 * @returns {Promise<string>}
 * @throws {Error} when no downloaded binary is there
 */
async function findDownloadedCli(downloadDir) {
  const expected = join(downloadDir, `temporal-v${TEMPORAL_CLI_VERSION}${EXE_SUFFIX}`);
  if (await isExecutableFile(expected)) return expected;
  let newest = { path: '', mtimeMs: -1 };
  for (const name of await readdir(downloadDir)) {
    if (!name.startsWith('temporal')) continue;
    const path = join(downloadDir, name);
    const info = await stat(path);
    if (info.isFile() && info.mtimeMs > newest.mtimeMs) newest = { path, mtimeMs: info.mtimeMs };
  }
  if (!newest.path) throw new Error(`the SDK reported success but no temporal binary is in ${downloadDir}`);
  return newest.path;
}

/**
 * @param {string} name file name to look for
 * @param {NodeJS.ProcessEnv} env environment whose PATH is searched
 * @returns {Promise<string | undefined>} the first executable match
 */
async function findOnPath(name, env) {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/**
 * A cached file that exists but does not run (truncated copy, wrong platform) is treated as absent.
 *
 * @param {string} path
 * @param {NodeJS.ProcessEnv} env
 */
async function isRunnableCli(path, env) {
  return (await isExecutableFile(path)) && (await cliVersion(path, env)) !== undefined;
}

/** @param {string} path */
async function isExecutableFile(path) {
  try {
    await access(path, fsConstants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** @param {number} ms */
function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** @param {unknown} error */
function errorMessage(error) {
  return error instanceof Error ? error.message : String(error);
}
