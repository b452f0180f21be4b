/**
 * Entry point of a `code` node's sandbox thread (a `node:worker_threads` Worker, one per execution).
 *
 * Loads QuickJS (WebAssembly), runs the program from `workerData` ({@link SandboxRequest}) in a fresh
 * runtime with a heap limit, a stack limit and an interrupt deadline, and posts `started` then one
 * `outcome` ({@link SandboxMessage}). The thread then ends on its own.
 *
 * This file is self-contained on purpose: it imports only packages and types, so that Node can run it
 * from source too (`sandbox-thread-url.ts`). QuickJS handles are never disposed and the runtime is never
 * freed: the thread's exit releases the whole WebAssembly memory at once, and freeing a runtime that
 * still holds objects aborts the module (QuickJS asserts that its GC list is empty in `JS_FreeRuntime`).
 */
import { parentPort, workerData } from 'node:worker_threads';
import {
  newQuickJSWASMModuleFromVariant,
  type QuickJSContext,
  type QuickJSHandle,
  type QuickJSRuntime,
} from 'quickjs-emscripten-core';
import type { CollectedLogs, LogLimits, SandboxMessage, SandboxOutcome, SandboxRequest, ThrownValue } from './protocol.js';

/** Extra heap allowed while reading a thrown value, in bytes: reading out the error of an out-of-memory needs a little. */
const ERROR_READING_HEADROOM_BYTES = 1024 * 1024;

/**
 * Installs `console.log/info/warn/error/debug`. Arguments are joined with spaces: strings as they are,
 * errors as `Name: message`, other values as JSON when they have one. Lines are cut inside the sandbox, so
 * a huge string never crosses into the thread's own heap.
 */
const CONSOLE_BOOTSTRAP = `(function (emit, maxChars) {
  const show = (value) => {
    try {
      if (typeof value === 'string') return value;
      if (value instanceof Error) return String(value);
      const json = JSON.stringify(value);
      return json === undefined ? String(value) : json;
    } catch {
      return Object.prototype.toString.call(value);
    }
  };
  const method = (level) => (...args) => {
    const text = args.map(show).join(' ');
    emit(level, text.length > maxChars ? text.slice(0, maxChars) + '…' : text);
  };
  globalThis.console = { log: method('log'), info: method('info'), warn: method('warn'), error: method('error'), debug: method('debug') };
})`;

const request = workerData as SandboxRequest;
const port = parentPort;
const logs = createLogCollector(request.logLimits);
/** Set when the interrupt handler stopped the code: any error that follows is the deadline's doing. */
let interrupted = false;

function post(message: SandboxMessage): void {
  port?.postMessage(message);
}

run().then(
  (outcome) => post({ type: 'outcome', outcome }),
  (error: unknown) => post({ type: 'outcome', outcome: hostFailure(error) }),
);

async function run(): Promise<SandboxOutcome> {
  const quickjs = await newQuickJSWASMModuleFromVariant(import('@jitl/quickjs-wasmfile-release-sync'));
  post({ type: 'started' });
  const deadline = Date.now() + request.timeoutMs;

  const runtime = quickjs.newRuntime();
  runtime.setMemoryLimit(request.memoryLimitBytes);
  runtime.setMaxStackSize(request.maxStackBytes);
  runtime.setInterruptHandler(() => {
    if (Date.now() < deadline) return false;
    interrupted = true;
    return true;
  });
  const vm = runtime.newContext();

  // Taken before the user's code runs, so replacing JSON.* inside the sandbox cannot fool the host.
  const json = vm.getProp(vm.global, 'JSON');
  const parse = vm.getProp(json, 'parse');
  const stringify = vm.getProp(json, 'stringify');

  const bootstrap = vm.evalCode(CONSOLE_BOOTSTRAP, 'console.js', { type: 'global', strict: true });
  if (bootstrap.error) return failure(runtime, vm, bootstrap.error);
  const emit = vm.newFunction('emit', (level, text) => {
    logs.add(`[${vm.getString(level)}] ${vm.getString(text)}`);
  });
  const installed = vm.callFunction(bootstrap.value, vm.undefined, emit, vm.newNumber(request.logLimits.maxLineChars));
  if (installed.error) return failure(runtime, vm, installed.error);

  const compiled = vm.evalCode(request.program, request.fileName, { type: 'global', strict: true });
  if (compiled.error) return failure(runtime, vm, compiled.error);
  if (vm.typeof(compiled.value) !== 'function') {
    return { kind: 'threw', error: { name: 'SyntaxError', message: 'the source must be the body of a function' }, logs: logs.collected() };
  }

  const data = vm.callFunction(parse, json, vm.newString(request.dataJson));
  if (data.error) return failure(runtime, vm, data.error);
  const called = vm.callFunction(compiled.value, vm.undefined, data.value);
  if (called.error) return failure(runtime, vm, called.error);

  const settled = settle(runtime, vm, called.value);
  if (settled.state === 'failed') return failure(runtime, vm, settled.error);
  if (settled.state === 'pending') {
    return { kind: 'badResult', reason: 'the returned promise never settled (nothing in the sandbox is left to resolve it)', logs: logs.collected() };
  }
  return readResult(runtime, vm, stringify, json, settled.value);
}

type Settled = { state: 'fulfilled'; value: QuickJSHandle } | { state: 'failed'; error: QuickJSHandle } | { state: 'pending' };

/** Runs pending jobs until `value` (a promise, or any value) settles or no job is left; the deadline still applies. */
function settle(runtime: QuickJSRuntime, vm: QuickJSContext, value: QuickJSHandle): Settled {
  for (;;) {
    const state = vm.getPromiseState(value);
    if (state.type === 'fulfilled') return { state: 'fulfilled', value: state.value };
    if (state.type === 'rejected') return { state: 'failed', error: state.error };
    if (!runtime.hasPendingJob()) return { state: 'pending' };
    const jobs = runtime.executePendingJobs();
    if (jobs.error) return { state: 'failed', error: jobs.error };
  }
}

/** Serializes the result with the sandbox's own `JSON.stringify`; `undefined` becomes `null`. */
function readResult(
  runtime: QuickJSRuntime,
  vm: QuickJSContext,
  stringify: QuickJSHandle,
  json: QuickJSHandle,
  value: QuickJSHandle,
): SandboxOutcome {
  const type = vm.typeof(value);
  if (type === 'undefined') return { kind: 'returned', json: 'null', logs: logs.collected() };
  const text = vm.callFunction(stringify, json, value);
  if (text.error) {
    const outcome = failure(runtime, vm, text.error);
    if (outcome.kind !== 'threw') return outcome;
    const { name, message } = outcome.error;
    return { kind: 'badResult', reason: `the result is not JSON: ${name ? `${name}: ` : ''}${message}`, logs: outcome.logs };
  }
  if (vm.typeof(text.value) !== 'string') {
    return { kind: 'badResult', reason: `the result is a ${type}, which is not JSON`, logs: logs.collected() };
  }
  const result = vm.getString(text.value);
  const bytes = Buffer.byteLength(result, 'utf8');
  if (bytes > request.maxResultBytes) {
    return { kind: 'badResult', reason: `the result is ${bytes} bytes of JSON, more than the ${request.maxResultBytes} allowed`, logs: logs.collected() };
  }
  return { kind: 'returned', json: result, logs: logs.collected() };
}

/** Classifies an exception raised inside the sandbox: the deadline, the heap limit, or the code's own. */
function failure(runtime: QuickJSRuntime, vm: QuickJSContext, error: QuickJSHandle): SandboxOutcome {
  if (interrupted) return { kind: 'timedOut', killed: false, logs: logs.collected() };
  runtime.setMemoryLimit(request.memoryLimitBytes + ERROR_READING_HEADROOM_BYTES);
  const thrown = describeThrown(vm, error);
  if (interrupted) return { kind: 'timedOut', killed: false, logs: logs.collected() };
  // QuickJS reports a reached heap limit as this InternalError (JS_ThrowOutOfMemory).
  if (thrown.name === 'InternalError' && thrown.message === 'out of memory') return { kind: 'outOfMemory', logs: logs.collected() };
  return { kind: 'threw', error: thrown, logs: logs.collected() };
}

/** Reads a thrown value as text without trusting it: Error-like objects by their properties, the rest as JSON or a string. */
function describeThrown(vm: QuickJSContext, error: QuickJSHandle): ThrownValue {
  try {
    if (vm.typeof(error) === 'object' && !vm.sameValue(error, vm.null)) {
      const name = stringProp(vm, error, 'name');
      const message = stringProp(vm, error, 'message');
      if (name !== undefined || message !== undefined) {
        return { name, message: message ?? '', stack: stringProp(vm, error, 'stack') };
      }
    }
    const dumped: unknown = vm.dump(error);
    return { message: typeof dumped === 'string' ? dumped : (JSON.stringify(dumped) ?? String(dumped)) };
  } catch (readError) {
    return { message: `a value that could not be read (${readError instanceof Error ? readError.message : String(readError)})` };
  }
}

function stringProp(vm: QuickJSContext, object: QuickJSHandle, key: string): string | undefined {
  const value = vm.getProp(object, key);
  return vm.typeof(value) === 'string' ? vm.getString(value) : undefined;
}

/**
 * Turns an exception of the thread itself into an outcome. Deep native recursion in the WebAssembly
 * module can exhaust the thread's stack before QuickJS's own limit notices; that is the code's doing.
 */
function hostFailure(error: unknown): SandboxOutcome {
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return { kind: 'threw', error: { name: 'InternalError', message: 'stack overflow' }, logs: logs.collected() };
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { kind: 'crashed', message, logs: logs.collected() };
}

/** Keeps the last `maxLines` lines within `maxTotalChars`, counting what it drops. */
function createLogCollector(limits: LogLimits): { add(line: string): void; collected(): CollectedLogs } {
  const lines: string[] = [];
  let totalChars = 0;
  let dropped = 0;
  return {
    add(line) {
      lines.push(line);
      totalChars += line.length;
      while (lines.length > limits.maxLines || (totalChars > limits.maxTotalChars && lines.length > 1)) {
        totalChars -= lines.shift()!.length;
        dropped += 1;
      }
    },
    collected: () => ({ lines: [...lines], dropped }),
  };
}
