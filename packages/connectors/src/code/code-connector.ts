/** The `code` connector: a user's JavaScript function body run in a QuickJS sandbox. */
import { parseDuration } from '@trellis/dag-interpreter';
import { defineConnector } from '../connector.js';
import { codeConfigSchema, CODE_MAX_RESULT_BYTES } from './config.js';
import { outputOf } from './outcome.js';
import type { LogLimits } from './protocol.js';
import { runSandbox } from './run-sandbox.js';
import { SOURCE_FILE_NAME, wrapSource } from './source-wrapper.js';

/**
 * QuickJS stack limit, in bytes (512 KiB: a few thousand frames of plain recursion). Measured against the
 * thread's 8 MiB native stack: 1 MiB still fit, so this leaves room for frames that use more native stack.
 */
const MAX_STACK_BYTES = 512 * 1024;
/** Console output kept per execution: 100 lines of up to 1,000 characters, 16 KiB in all (error data stays small). */
const LOG_LIMITS: LogLimits = { maxLines: 100, maxLineChars: 1000, maxTotalChars: 16 * 1024 };

/**
 * Runs `config.source`, the body of an async JavaScript function, with `input` (the run's input) and
 * `nodes` (`{ [id]: { output, status, error? } }`) in scope, and returns what it returns.
 *
 * - **Output**: the return value as JSON (after awaiting a returned promise); `undefined` becomes `null`.
 *   At most {@link CODE_MAX_RESULT_BYTES} (1 MiB) of JSON. `console.*` output is not part of it: the
 *   last lines are attached to errors' `data.logs` only.
 * - **Sandbox**: QuickJS compiled to WebAssembly (`quickjs-emscripten-core`), a fresh runtime per
 *   execution. It has the ECMAScript built-ins and nothing else: no `require`, `process`, `fetch`,
 *   timers, module loading, file system, network or host objects, so no constructor chain leads out.
 * - **Limits**: `timeout` (default 1s, at most 30s) is enforced by QuickJS's interrupt handler; `memoryMb`
 *   (default 32, at most 256) is QuickJS's heap limit, which the input also counts against; the stack is
 *   limited to 512 KiB.
 * - **Why a thread**: QuickJS runs synchronously, so the code runs in a `node:worker_threads` Worker of
 *   its own; the activity's event loop (Temporal heartbeats and cancellation, other activities) never
 *   waits for it. The parent terminates the thread if it has not answered 1 s after the timeout, and on
 *   cancellation, so the worker process survives anything the code does.
 *
 * @throws ConnectorError `CodeError` (the code threw, rejected or does not parse), `CodeTimeout`,
 *   `CodeMemoryLimit`, `CodeResultError` (not JSON, over 1 MiB, or a promise that never settles), all
 *   non-retryable; `CodeSandboxCrashed` (retryable) when the thread dies otherwise. Rejects with the
 *   signal's reason when the activity is cancelled.
 */
export const codeConnector = defineConnector({
  type: 'code',
  description: 'Runs a JavaScript function body in a sandbox (no network, files or process) with { input, nodes } and returns its JSON result.',
  configSchema: codeConfigSchema,
  // The source reads `input` and `nodes` itself, and JavaScript may contain `{{`.
  readsContext: true,
  unrenderedFields: ['source'],
  async execute(config, context): Promise<unknown> {
    const timeoutMs = parseDuration(config.timeout);
    const data = context.data ?? { input: null, nodes: {} };
    const outcome = await runSandbox(
      {
        program: wrapSource(config.source),
        fileName: SOURCE_FILE_NAME,
        dataJson: JSON.stringify({ input: data.input ?? null, nodes: data.nodes ?? {} }),
        timeoutMs,
        memoryLimitBytes: config.memoryMb * 1024 * 1024,
        maxStackBytes: MAX_STACK_BYTES,
        maxResultBytes: CODE_MAX_RESULT_BYTES,
        logLimits: LOG_LIMITS,
      },
      { signal: context.signal },
    );
    return outputOf(outcome, { timeoutMs, memoryMb: config.memoryMb });
  },
});
