import { describe, expect, it } from 'vitest';
import { outputOf } from '../src/code/outcome.js';
import type { SandboxRequest } from '../src/code/protocol.js';
import { runSandbox } from '../src/code/run-sandbox.js';
import { codeConnector, ConnectorError, parseConnectorConfig } from '../src/index.js';
import { rejectionOf, testContext } from './test-helpers.js';

function runCode(config: unknown, signal?: AbortSignal): Promise<unknown> {
  return codeConnector.execute(parseConnectorConfig(codeConnector.configSchema, config, 'code'), testContext({}, signal));
}

const failureOf = (promise: Promise<unknown>): Promise<ConnectorError> => rejectionOf(promise, ConnectorError);

/** A thread entry point from inline ESM, standing in for a sandbox thread that misbehaves. */
function inlineThread(code: string): URL {
  return new URL(`data:text/javascript,${encodeURIComponent(`import { parentPort } from 'node:worker_threads';\n${code}`)}`);
}

const anyRequest: SandboxRequest = {
  program: '(async function () {})',
  fileName: 'source.js',
  dataJson: '{}',
  timeoutMs: 300,
  memoryLimitBytes: 8 * 1024 * 1024,
  maxStackBytes: 256 * 1024,
  maxResultBytes: 1024,
  logLimits: { maxLines: 10, maxLineChars: 100, maxTotalChars: 1000 },
};

describe('code sandbox: isolation', () => {
  it('has no require, process, fetch, timers, module loading or Node globals', async () => {
    const output = await runCode({
      source: `return {
        require: typeof require, process: typeof process, fetch: typeof fetch, setTimeout: typeof setTimeout,
        setInterval: typeof setInterval, Buffer: typeof Buffer, module: typeof module, globalProcess: typeof globalThis.process,
        WebAssembly: typeof WebAssembly, XMLHttpRequest: typeof XMLHttpRequest,
      };`,
    });
    expect(Object.values(output as Record<string, string>)).toEqual(Array(10).fill('undefined'));
  });

  it('cannot reach the host through the constructor chain', async () => {
    const viaFunction = await failureOf(runCode({ source: "return globalThis.constructor.constructor('return process')();" }));
    expect(viaFunction.type).toBe('CodeError');
    expect(viaFunction.message).toMatch(/^ReferenceError: 'process' is not defined/);
    const globals = await runCode({
      source: `const outer = globalThis.constructor.constructor('return this')();
        const ctor = (async () => {}).constructor;
        const viaAsync = await ctor('return typeof process')();
        return { same: outer === globalThis, viaAsync, viaEval: eval('typeof process'), names: Object.getOwnPropertyNames(outer) };`,
    });
    const { same, viaAsync, viaEval, names } = globals as { same: boolean; viaAsync: string; viaEval: string; names: string[] };
    expect(same).toBe(true);
    expect(viaAsync).toBe('undefined');
    expect(viaEval).toBe('undefined');
    const hostNames = ['require', 'process', 'fetch', 'setTimeout', 'Buffer', 'global', 'module', 'exports', 'std', 'os', 'scriptArgs'];
    expect(names).toContain('JSON');
    expect(names.filter((name) => hostNames.includes(name))).toEqual([]);
  });

  it('cannot import modules', async () => {
    const error = await failureOf(runCode({ source: "const fs = await import('fs'); return fs.readFileSync('/etc/passwd', 'utf8');" }));
    expect(error.type).toBe('CodeError');
    expect(error.message).toContain("could not load module 'fs'");
  });

  it('cannot change the host JSON used to read its result', async () => {
    const output = await runCode({ source: 'JSON.stringify = () => "{\\"forged\\":true}"; return { real: 1 };' });
    expect(output).toEqual({ real: 1 });
  });
});

describe('code sandbox: limits', () => {
  it('kills an infinite loop at the timeout, and the process runs the next execution', async () => {
    const started = performance.now();
    const error = await failureOf(runCode({ source: 'while (true) {}', timeout: '1s' }));
    const elapsed = performance.now() - started;
    expect(error.type).toBe('CodeTimeout');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe('code ran longer than 1000 ms');
    expect(error.data).toMatchObject({ timeoutMs: 1000, killed: false });
    expect(elapsed).toBeGreaterThanOrEqual(1000);
    expect(elapsed).toBeLessThan(1000 + 2000);
    // Same process, same event loop: it kept running and still executes code.
    expect(await runCode({ source: 'return input ?? "alive";' })).toBe('alive');
  });

  it('interrupts loops hidden in async code and in toJSON', async () => {
    const asyncLoop = await failureOf(runCode({ source: 'await null; for (;;) {}', timeout: '300ms' }));
    expect(asyncLoop.type).toBe('CodeTimeout');
    const jsonLoop = await failureOf(runCode({ source: 'return { toJSON() { for (;;) {} } };', timeout: '300ms' }));
    expect(jsonLoop.type).toBe('CodeTimeout');
  });

  it('fails with CodeMemoryLimit when allocating beyond memoryMb', async () => {
    const buffer = await failureOf(runCode({ source: 'const b = new ArrayBuffer(64 * 1024 * 1024); return b.byteLength;', memoryMb: 16 }));
    expect(buffer.type).toBe('CodeMemoryLimit');
    expect(buffer.retryable).toBe(false);
    expect(buffer.message).toBe('code used more than its 16 MiB of memory');
    const objects = await failureOf(runCode({ source: 'const all = []; for (;;) all.push({ n: all.length, s: "item" + all.length });', memoryMb: 4, timeout: '20s' }));
    expect(objects.type).toBe('CodeMemoryLimit');
    // The same allocation fits a larger limit.
    expect(await runCode({ source: 'return new ArrayBuffer(8 * 1024 * 1024).byteLength;', memoryMb: 16 })).toBe(8 * 1024 * 1024);
  });

  it('reports unbounded recursion as a stack overflow CodeError', async () => {
    const error = await failureOf(runCode({ source: 'function down(n) { return down(n + 1) + 1; }\nreturn down(0);' }));
    expect(error.type).toBe('CodeError');
    expect(error.message).toMatch(/stack overflow/);
    expect((error.data as { stack: string }).stack.split('\n').length).toBeLessThanOrEqual(11);
  });

  it('ends promptly when the signal aborts mid-loop', async () => {
    const controller = new AbortController();
    const reason = new Error('cancelled by test');
    const started = performance.now();
    const running = runCode({ source: 'while (true) {}', timeout: '30s' }, controller.signal);
    setTimeout(() => controller.abort(reason), 700);
    await expect(running).rejects.toBe(reason);
    expect(performance.now() - started).toBeLessThan(700 + 1000);
    expect(await runCode({ source: 'return 1;' })).toBe(1);
  });

  it('does not start a thread for an already aborted signal', async () => {
    const controller = new AbortController();
    controller.abort(new Error('too late'));
    await expect(runCode({ source: 'return 1;' }, controller.signal)).rejects.toThrow('too late');
  });

  it('costs one thread start per execution (overhead printed)', async () => {
    const runs = 5;
    const started = performance.now();
    for (let i = 0; i < runs; i++) expect(await runCode({ source: `return ${i} * 2;` })).toBe(i * 2);
    const perRun = (performance.now() - started) / runs;
    console.log(`code connector: ${perRun.toFixed(0)} ms per trivial execution (thread start + QuickJS load + run), mean of ${runs}`);
    expect(perRun).toBeLessThan(5000);
  });
});

describe('code sandbox: parent guards', () => {
  const signal = new AbortController().signal;

  it('terminates a thread that ignores its deadline at timeout + grace', async () => {
    const started = performance.now();
    const outcome = await runSandbox(anyRequest, {
      signal,
      graceMs: 300,
      threadUrl: inlineThread("parentPort.postMessage({ type: 'started' }); for (;;) {}"),
    });
    expect(outcome).toEqual({ kind: 'timedOut', killed: true, logs: { lines: [], dropped: 0 } });
    expect(performance.now() - started).toBeLessThan(300 + 300 + 2000);
    expect(() => outputOf(outcome, { timeoutMs: 300, memoryMb: 8 })).toThrow('code ran longer than 300 ms');
  });

  it('reports a thread that throws or exits without a result as a retryable CodeSandboxCrashed', async () => {
    const thrown = await runSandbox(anyRequest, { signal, threadUrl: inlineThread("throw new Error('kaput');") });
    expect(thrown).toMatchObject({ kind: 'crashed', message: expect.stringContaining('kaput') });
    const exited = await runSandbox(anyRequest, { signal, threadUrl: inlineThread('process.exit(3);') });
    expect(exited).toMatchObject({ kind: 'crashed', message: expect.stringContaining('exited with code 3') });
    let error: unknown;
    try {
      outputOf(exited, { timeoutMs: 300, memoryMb: 8 });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ type: 'CodeSandboxCrashed', retryable: true });
  });

  it('reports a thread that never starts', async () => {
    const outcome = await runSandbox(anyRequest, { signal, startupTimeoutMs: 300, threadUrl: inlineThread('setInterval(() => {}, 1000);') });
    expect(outcome).toMatchObject({ kind: 'crashed', message: 'the sandbox did not start within 300 ms' });
  });

  it('turns a thread that exhausts its own V8 heap into outOfMemory', async () => {
    const outcome = await runSandbox(anyRequest, {
      signal,
      threadUrl: inlineThread("parentPort.postMessage({ type: 'started' }); const all = []; for (;;) all.push(new Array(100000).fill(all.length));"),
      graceMs: 30_000,
    });
    expect(outcome).toEqual({ kind: 'outOfMemory', logs: { lines: [], dropped: 0 } });
  });
});
