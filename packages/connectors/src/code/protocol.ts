/**
 * Messages between the `code` connector and its sandbox thread. Types only: the thread file must not
 * import values from this package (see `sandbox-thread-url.ts`).
 */

/** What the parent hands a sandbox thread as `workerData`. */
export interface SandboxRequest {
  /** Global code that evaluates to the user's function (see `wrapSource`). */
  program: string;
  /** File name of `program` in QuickJS stack traces. */
  fileName: string;
  /** `JSON.stringify({ input, nodes })`, parsed inside the sandbox and passed to the function. */
  dataJson: string;
  /** Deadline of the execution, in ms from the moment the QuickJS module is loaded. */
  timeoutMs: number;
  /** QuickJS heap limit, in bytes. */
  memoryLimitBytes: number;
  /** QuickJS stack limit, in bytes. */
  maxStackBytes: number;
  /** Largest accepted result, in bytes of UTF-8 JSON. */
  maxResultBytes: number;
  logLimits: LogLimits;
}

/** Bounds of the `console` output kept per execution. */
export interface LogLimits {
  /** Lines kept; older lines are dropped first. */
  maxLines: number;
  /** Characters per line; longer lines are cut. */
  maxLineChars: number;
  /** Characters over all kept lines; older lines are dropped first. */
  maxTotalChars: number;
}

/** What the code printed with `console.*`: the last lines (`"[level] text"`) and how many were dropped. */
export interface CollectedLogs {
  lines: string[];
  dropped: number;
}

/** A value thrown inside the sandbox, read out as text. `name` and `stack` are set for Error-like objects. */
export interface ThrownValue {
  name?: string;
  message: string;
  /** QuickJS stack, frames like `    at g (source.js:3:30)`. */
  stack?: string;
}

/** How one execution ended, as reported by the thread (or concluded by the parent when the thread could not say). */
export type SandboxOutcome =
  /** `json` is the result as JSON text (`"null"` for `undefined`), at most `maxResultBytes`. */
  | { kind: 'returned'; json: string; logs: CollectedLogs }
  /** The source threw, returned a rejected promise, or does not parse. */
  | { kind: 'threw'; error: ThrownValue; logs: CollectedLogs }
  /** The deadline passed; `killed` when the parent had to terminate an unresponsive thread. */
  | { kind: 'timedOut'; killed: boolean; logs: CollectedLogs }
  /** The QuickJS heap limit (or the thread's own heap limit) was reached. */
  | { kind: 'outOfMemory'; logs: CollectedLogs }
  /** The function returned something that is not JSON, too big, or a promise that never settles. */
  | { kind: 'badResult'; reason: string; logs: CollectedLogs }
  /** The thread failed for reasons of its own (WASM abort, startup failure, unexpected exit). */
  | { kind: 'crashed'; message: string; logs: CollectedLogs };

/** Messages the thread posts: `started` once QuickJS is loaded (the deadline starts), then one `outcome`. */
export type SandboxMessage = { type: 'started' } | { type: 'outcome'; outcome: SandboxOutcome };
