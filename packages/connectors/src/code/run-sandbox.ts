/** Runs one `code` execution in its own thread and waits for its outcome, with a second, harder deadline. */
import { Worker } from 'node:worker_threads';
import type { CollectedLogs, SandboxMessage, SandboxOutcome, SandboxRequest } from './protocol.js';
import { sandboxThreadUrl } from './sandbox-thread-url.js';

/** Timing options of {@link runSandbox}. */
export interface RunSandboxOptions {
  /** Aborting it terminates the thread; the returned promise then rejects with `signal.reason`. */
  signal: AbortSignal;
  /**
   * How long after `request.timeoutMs` the parent waits for a thread that did not report before
   * terminating it, in ms. Default 1000: QuickJS's interrupt check normally ends the code well before.
   */
  graceMs?: number;
  /** How long the thread may take to start and load QuickJS, in ms (default 10,000); not counted in the timeout. */
  startupTimeoutMs?: number;
  /** The thread's entry module; default {@link sandboxThreadUrl}. Tests substitute misbehaving threads. */
  threadUrl?: URL;
}

/**
 * V8 limits of the sandbox thread (not of QuickJS, whose heap lives in WebAssembly memory and is bounded by
 * `memoryLimitBytes`). The thread's own heap holds the input JSON and the result; Temporal payloads are
 * a few MiB at most. The 8 MiB stack leaves a wide margin over QuickJS's stack limit, because every
 * QuickJS frame is several native WebAssembly frames on this stack.
 */
const THREAD_RESOURCE_LIMITS = { maxOldGenerationSizeMb: 128, stackSizeMb: 8 } as const;
/** Characters of the thread's stderr kept for a crash report (an Emscripten abort prints its reason there). */
const MAX_STDERR_CHARS = 4096;
const NO_LOGS: CollectedLogs = { lines: [], dropped: 0 };

/**
 * Starts a sandbox thread for `request` and resolves with its {@link SandboxOutcome}. Never rejects for
 * anything the code does: a thread that stays silent past `timeoutMs + graceMs` is terminated
 * (`timedOut`, `killed: true`), one that exceeds its V8 heap is `outOfMemory`, any other death is `crashed`.
 *
 * @throws `signal.reason` (rejects) when `signal` aborts first; the thread is terminated.
 */
export function runSandbox(request: SandboxRequest, options: RunSandboxOptions): Promise<SandboxOutcome> {
  const { signal, graceMs = 1000, startupTimeoutMs = 10_000, threadUrl = sandboxThreadUrl() } = options;
  return new Promise<SandboxOutcome>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const worker = new Worker(threadUrl, {
      workerData: request,
      resourceLimits: THREAD_RESOURCE_LIMITS,
      // The code never sees the thread's Node APIs, but the thread does not need the worker's secrets either.
      env: {},
      stdout: true,
      stderr: true,
    });
    let stderr = '';
    worker.stdout.resume();
    worker.stderr.setEncoding('utf8');
    worker.stderr.on('data', (chunk: string) => {
      if (stderr.length < MAX_STDERR_CHARS) stderr = (stderr + chunk).slice(0, MAX_STDERR_CHARS);
    });

    let timer = setTimeout(() => {
      finish({ kind: 'crashed', message: `the sandbox did not start within ${startupTimeoutMs} ms`, logs: NO_LOGS });
    }, startupTimeoutMs);
    let done = false;

    const onAbort = (): void => {
      if (end()) reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });

    /** Stops everything once; false when already stopped. */
    function end(): boolean {
      if (done) return false;
      done = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      worker.terminate().catch(() => undefined);
      return true;
    }
    function finish(outcome: SandboxOutcome): void {
      if (end()) resolve(outcome);
    }
    function crashMessage(reason: string): string {
      const output = stderr.trim();
      return output ? `${reason}; its stderr: ${output}` : reason;
    }

    worker.on('message', (message: SandboxMessage) => {
      if (message.type === 'started') {
        clearTimeout(timer);
        timer = setTimeout(() => finish({ kind: 'timedOut', killed: true, logs: NO_LOGS }), request.timeoutMs + graceMs);
      } else {
        finish(message.outcome);
      }
    });
    worker.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') finish({ kind: 'outOfMemory', logs: NO_LOGS });
      else finish({ kind: 'crashed', message: crashMessage(`the sandbox thread failed: ${error.message}`), logs: NO_LOGS });
    });
    worker.on('exit', (code) => {
      finish({ kind: 'crashed', message: crashMessage(`the sandbox thread exited with code ${code} without a result`), logs: NO_LOGS });
    });
  });
}
