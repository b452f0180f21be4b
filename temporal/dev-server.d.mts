/**
 * Types for `dev-server.mjs` (plain JavaScript so it runs before any TypeScript build).
 * Keep in step with the JSDoc there; `npx tsc --allowJs --checkJs` checks the implementation.
 */

/** Receives one human-readable progress line (no trailing newline). */
export type Log = (message: string) => void;

/** Which resolution step found the Temporal CLI. */
export type CliSource = 'TEMPORAL_CLI_PATH' | 'PATH' | 'cache' | 'go-install' | 'sdk-download';

/** The pinned Temporal CLI release from `temporal/version.json`, without a leading `v` (e.g. `1.5.1`). */
export declare const TEMPORAL_CLI_VERSION: string;
/** The Go package `go install` builds the CLI from (`github.com/temporalio/cli/cmd/temporal`). */
export declare const TEMPORAL_CLI_GO_MODULE: string;
/** Name of the env switch (`TRELLIS_TEMPORAL_NO_INSTALL=1`) that disables the go-install and SDK-download steps. */
export declare const NO_INSTALL_ENV: 'TRELLIS_TEMPORAL_NO_INSTALL';
/** Default readiness deadline of {@link startDevServer}, in ms (30 000). */
export declare const DEFAULT_READY_TIMEOUT_MS: number;
/** How long `DevServer.stop('SIGTERM')` waits before sending SIGKILL, in ms (15 000). */
export declare const STOP_GRACE_MS: number;

/** `<$XDG_CACHE_HOME or ~/.cache>/trellis/temporal-<version>`; `env` defaults to `process.env`. */
export declare function temporalCacheDir(env?: NodeJS.ProcessEnv): string;
/** `<temporalCacheDir>/temporal` (`temporal.exe` on Windows); `env` defaults to `process.env`. */
export declare function cachedCliPath(env?: NodeJS.ProcessEnv): string;

/**
 * Locates the Temporal CLI: `TEMPORAL_CLI_PATH`, then `temporal` on PATH (a non-pinned version is
 * used with a logged note), then the cache ({@link cachedCliPath}), then `go install` into the
 * cache, then the Temporal SDK's download. The last two are skipped with `TRELLIS_TEMPORAL_NO_INSTALL=1`.
 *
 * @param options.log progress lines (default: `[temporal]`-prefixed lines on stderr)
 * @param options.env environment to read and to give child processes (default `process.env`)
 * @throws Error if `TEMPORAL_CLI_PATH` is not an executable file, or nothing was found; the message
 *   lists what was tried and the fixes (install the CLI / TEMPORAL_CLI_PATH, TEMPORAL_ADDRESS, Docker)
 */
export declare function resolveTemporalCli(options?: {
  log?: Log;
  env?: NodeJS.ProcessEnv;
}): Promise<{ path: string; source: CliSource }>;

/** How the server process ended. */
export interface DevServerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running `temporal server start-dev` process. */
export interface DevServer {
  /** Frontend gRPC `host:port`, for `Connection.connect({ address })`. */
  address: string;
  /** Web UI base URL, `http://host:uiPort`. */
  uiUrl: string;
  namespace: string;
  pid: number;
  /** Settles when the process has exited, for whatever reason. */
  exited: Promise<DevServerExit>;
  /**
   * Sends `signal` (default SIGTERM, escalated to SIGKILL after {@link STOP_GRACE_MS}) and resolves
   * once the process has exited. A no-op when it already has.
   */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

export interface StartDevServerOptions {
  /** The Temporal CLI binary (see {@link resolveTemporalCli}). */
  cliPath: string;
  /** Directory holding `temporal.db` (created if missing); restarting on it keeps every execution. */
  dataDir: string;
  /** Frontend gRPC port; default 7233. */
  port?: number;
  /** Web UI port; default `port + 1000`. */
  uiPort?: number;
  /** Namespace to create and wait for; default `default`. */
  namespace?: string;
  /** Address to bind; default 127.0.0.1. */
  ip?: string;
  log?: Log;
  /** File to append the server's JSON log lines to. */
  logFile?: string;
  /** Readiness deadline in ms; default {@link DEFAULT_READY_TIMEOUT_MS}. */
  readyTimeoutMs?: number;
}

/**
 * Starts `temporal server start-dev` on `<dataDir>/temporal.db` and resolves once the frontend
 * answers DescribeNamespace for the namespace.
 *
 * @throws Error if the binary cannot run, the server exits before it is ready (e.g. port in use) or
 *   misses the deadline (it is then killed); the message ends with the server's last output lines
 */
export declare function startDevServer(options: StartDevServerOptions): Promise<DevServer>;

/** A Temporal server to talk to, started here or already running. */
export interface TemporalEndpoint {
  address: string;
  namespace: string;
  /** Undefined for an existing server given by TEMPORAL_ADDRESS. */
  uiUrl?: string;
  /** Stops a server started here and waits for it to exit; a no-op for an existing server. */
  stop(): Promise<void>;
}

/**
 * Uses `TEMPORAL_ADDRESS` when set (starting nothing); otherwise resolves the CLI and starts a dev
 * server on `TEMPORAL_PORT` (default 7233) with its database in `dataDir`. `TEMPORAL_NAMESPACE`
 * names the namespace (default `default`).
 *
 * @param options.env environment to read (default `process.env`)
 * @throws Error for an invalid TEMPORAL_PORT, or as {@link resolveTemporalCli} and {@link startDevServer} do
 */
export declare function ensureTemporal(options: {
  dataDir: string;
  log?: Log;
  env?: NodeJS.ProcessEnv;
}): Promise<TemporalEndpoint>;
