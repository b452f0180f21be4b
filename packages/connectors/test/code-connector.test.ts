import { describe, expect, it } from 'vitest';
import { codeConnector, ConnectorError, parseConnectorConfig, type ConnectorContext } from '../src/index.js';
import { rejectionOf, testContext } from './test-helpers.js';

type Data = NonNullable<ConnectorContext['data']>;

/** Parses like the activity does, then runs the connector with `data` as the node's `{ input, nodes }`. */
function runCode(config: unknown, data?: Data): Promise<unknown> {
  return codeConnector.execute(parseConnectorConfig(codeConnector.configSchema, config, 'code'), { ...testContext(), data });
}

const failureOf = (promise: Promise<unknown>): Promise<ConnectorError> => rejectionOf(promise, ConnectorError);

describe('code connector: results', () => {
  it('computes JSON from input and the outputs of earlier nodes', async () => {
    const data: Data = {
      input: { threshold: 2 },
      nodes: { fetch: { status: 'SUCCEEDED', output: { body: [{ n: 1 }, { n: 3 }, { n: 5 }] } } },
    };
    const output = await runCode(
      {
        source: `
          const big = nodes.fetch.output.body.filter((item) => item.n > input.threshold);
          return { count: big.length, total: big.reduce((sum, item) => sum + item.n, 0), status: nodes.fetch.status };`,
      },
      data,
    );
    expect(output).toEqual({ count: 2, total: 8, status: 'SUCCEEDED' });
  });

  it('awaits async code and returned promises', async () => {
    expect(await runCode({ source: 'const x = await Promise.resolve(20); return x + input;' }, { input: 22, nodes: {} })).toBe(42);
    expect(await runCode({ source: 'return new Promise((resolve) => resolve(["done"]));' })).toEqual(['done']);
  });

  it('turns undefined into null and passes null input when the node has no context', async () => {
    expect(await runCode({ source: 'const unused = 1;' })).toBeNull();
    expect(await runCode({ source: 'return undefined;' })).toBeNull();
    expect(await runCode({ source: 'return [input, Object.keys(nodes).length];' })).toEqual([null, 0]);
  });

  it('keeps strings, numbers and nested values intact', async () => {
    const value = { text: 'héllo ✓ {{ not a template }}', n: -1.5, list: [true, null, { deep: ['x'] }] };
    expect(await runCode({ source: 'return input;' }, { input: value, nodes: {} })).toEqual(value);
  });
});

describe('code connector: errors', () => {
  it('reports a thrown Error as a non-retryable CodeError with its message, line and console output', async () => {
    const error = await failureOf(
      runCode({ source: 'console.log("checking", { id: 7 });\nconsole.warn("about to fail");\nthrow new RangeError("bad threshold " + input);' }, { input: 9, nodes: {} }),
    );
    expect(error.type).toBe('CodeError');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/^RangeError: bad threshold 9 at .*line 3:\d+/);
    expect(error.data).toMatchObject({
      name: 'RangeError',
      message: 'bad threshold 9',
      logs: ['[log] checking {"id":7}', '[warn] about to fail'],
    });
  });

  it('gives line and column relative to the source, also on its first line', async () => {
    const first = await failureOf(runCode({ source: 'null.x' }));
    // Column 5 is the `.x` of `null.x`: the wrapper's prefix on line 1 is not counted.
    expect(first.message).toBe("TypeError: cannot read property 'x' of null at <anonymous> (line 1:5)");
    const nested = await failureOf(runCode({ source: 'function check(v) {\n  if (v) throw new Error("nope");\n}\ncheck(1);' }));
    expect(nested.message).toMatch(/^Error: nope at check \(line 2:\d+\)$/);
    expect((nested.data as { stack: string }).stack).toMatch(/at check \(line 2:\d+\)\n\s*at <anonymous> \(line 4:\d+\)/);
  });

  it('reports syntax errors and thrown non-errors as CodeError', async () => {
    const syntax = await failureOf(runCode({ source: 'return (1 +;' }));
    expect(syntax.type).toBe('CodeError');
    expect(syntax.message).toMatch(/^SyntaxError: .* at line 1:\d+$/);
    const thrown = await failureOf(runCode({ source: 'throw { code: 42 };' }));
    expect(thrown.type).toBe('CodeError');
    expect(thrown.message).toBe('threw {"code":42}');
  });

  it('reports a rejected promise as CodeError', async () => {
    const error = await failureOf(runCode({ source: 'await null; throw new TypeError("late");' }));
    expect(error.type).toBe('CodeError');
    expect(error.message).toMatch(/^TypeError: late/);
  });

  it('rejects results that are not JSON with CodeResultError', async () => {
    for (const [source, reason] of [
      ['return () => 1;', 'the result is a function, which is not JSON'],
      ['return 10n;', 'BigInt'],
      ['const a = {}; a.self = a; return a;', 'circular'],
      ['return new Promise(() => {});', 'never settled'],
    ] as const) {
      const error = await failureOf(runCode({ source }));
      expect(error.type, source).toBe('CodeResultError');
      expect(error.retryable).toBe(false);
      expect(error.message, source).toContain(reason);
    }
  });

  it('rejects results over 1 MiB of JSON with CodeResultError', async () => {
    // 1 MiB of JSON is the limit: the string's quotes make this two bytes over.
    const error = await failureOf(runCode({ source: 'return "x".repeat(1024 * 1024);' }));
    expect(error.type).toBe('CodeResultError');
    expect(error.message).toContain('1048578 bytes of JSON, more than the 1048576 allowed');
    expect(((await runCode({ source: 'return "x".repeat(1024 * 1024 - 2);' })) as string).length).toBe(1024 * 1024 - 2);
  });

  it('keeps only the last console lines, each cut to 1,000 characters', async () => {
    const error = await failureOf(runCode({ source: 'for (let i = 0; i < 150; i++) console.log("line " + i + " " + "y".repeat(i === 149 ? 5000 : 0)); throw new Error("x");' }));
    const data = error.data as { logs: string[]; droppedLogLines: number };
    expect(data.logs.length + data.droppedLogLines).toBe(150);
    expect(data.logs.length).toBeLessThanOrEqual(100);
    expect(data.logs.at(-1)).toMatch(/^\[log\] line 149 y+…$/);
    expect(data.logs.at(-1)!.length).toBeLessThan(1020);
    expect(data.logs.join('').length).toBeLessThanOrEqual(16 * 1024);
  });
});

describe('code connector: config', () => {
  const schema = codeConnector.configSchema;

  it('defaults timeout to 1s and memoryMb to 32', () => {
    expect(parseConnectorConfig(schema, { source: 'return 1' }, 'code')).toEqual({ source: 'return 1', timeout: '1s', memoryMb: 32 });
  });

  it('rejects empty source, unknown keys, timeouts over 30s and memory outside 1..256', () => {
    const problems = (config: unknown): string => {
      try {
        parseConnectorConfig(schema, config, 'code');
        return '';
      } catch (error) {
        return (error as ConnectorError).message;
      }
    };
    expect(problems({ source: '' })).toContain('config.source');
    expect(problems({ source: 'x', language: 'python' })).toContain('language');
    expect(problems({ source: 'x', timeout: '31s' })).toContain('config.timeout: must be between "1ms" and "30s"');
    expect(problems({ source: 'x', timeout: '0ms' })).toContain('config.timeout');
    expect(problems({ source: 'x', timeout: 'soon' })).toContain('config.timeout');
    expect(problems({ source: 'x', memoryMb: 0 })).toContain('config.memoryMb');
    expect(problems({ source: 'x', memoryMb: 257 })).toContain('config.memoryMb');
    expect(problems({ source: 'x', memoryMb: 1.5 })).toContain('config.memoryMb');
    expect(problems({ source: 'x', timeout: '30s', memoryMb: 256 })).toBe('');
  });
});
