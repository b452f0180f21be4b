/** Turns a sandbox outcome into the `code` node's output or a classified {@link ConnectorError}. */
import { ConnectorError, ConnectorErrorType, truncateText, type JsonValue } from '../errors.js';
import type { CollectedLogs, SandboxOutcome, ThrownValue } from './protocol.js';
import { rewriteStack } from './source-wrapper.js';

/** The limits the execution ran under, quoted in error messages. */
export interface OutcomeLimits {
  timeoutMs: number;
  memoryMb: number;
}

/**
 * The parsed result of a `returned` outcome.
 *
 * @throws ConnectorError, not retryable unless noted: `CodeError` (threw; message `Name: message at <first frame>`,
 *   positions relative to the source), `CodeTimeout`, `CodeMemoryLimit`, `CodeResultError`, and
 *   `CodeSandboxCrashed` (retryable). `data` holds `logs` (the last console lines) and, for `CodeError`,
 *   `{ name, message, stack }`.
 */
export function outputOf(outcome: SandboxOutcome, limits: OutcomeLimits): unknown {
  switch (outcome.kind) {
    case 'returned':
      return JSON.parse(outcome.json) as unknown;
    case 'threw':
      return thrownError(outcome.error, outcome.logs);
    case 'timedOut':
      throw new ConnectorError({
        type: ConnectorErrorType.CodeTimeout,
        message: `code ran longer than ${limits.timeoutMs} ms`,
        retryable: false,
        data: { timeoutMs: limits.timeoutMs, killed: outcome.killed, ...logsData(outcome.logs) },
      });
    case 'outOfMemory':
      throw new ConnectorError({
        type: ConnectorErrorType.CodeMemoryLimit,
        message: `code used more than its ${limits.memoryMb} MiB of memory`,
        retryable: false,
        data: { memoryMb: limits.memoryMb, ...logsData(outcome.logs) },
      });
    case 'badResult':
      throw new ConnectorError({
        type: ConnectorErrorType.CodeResult,
        message: `code returned an unusable result: ${outcome.reason}`,
        retryable: false,
        data: logsData(outcome.logs),
      });
    case 'crashed':
      throw new ConnectorError({
        type: ConnectorErrorType.CodeSandboxCrashed,
        message: `the code sandbox crashed: ${truncateText(outcome.message, 1000)}`,
        retryable: true,
        data: logsData(outcome.logs),
      });
  }
}

/** Stack frames kept in error data: deep recursion would otherwise fill it with one repeated line. */
const MAX_STACK_FRAMES = 10;

function thrownError(thrown: ThrownValue, logs: CollectedLogs): never {
  const frames = thrown.stack === undefined ? [] : rewriteStack(thrown.stack).split('\n').map((frame) => frame.trim()).filter(Boolean);
  const firstFrame = frames[0];
  const more = frames.length - MAX_STACK_FRAMES;
  const stack = frames.slice(0, MAX_STACK_FRAMES).join('\n') + (more > 0 ? `\n… ${more} more frames` : '');
  const what = thrown.name === undefined ? `threw ${thrown.message}` : `${thrown.name}: ${thrown.message}`;
  const data: { [key: string]: JsonValue } = { message: truncateText(thrown.message), ...logsData(logs) };
  if (thrown.name !== undefined) data.name = thrown.name;
  if (stack) data.stack = truncateText(stack);
  throw new ConnectorError({
    type: ConnectorErrorType.Code,
    message: truncateText(firstFrame ? `${what} ${firstFrame}` : what, 1000),
    retryable: false,
    data,
  });
}

function logsData(logs: CollectedLogs): { logs: string[]; droppedLogLines?: number } {
  return logs.dropped > 0 ? { logs: logs.lines, droppedLogLines: logs.dropped } : { logs: logs.lines };
}
