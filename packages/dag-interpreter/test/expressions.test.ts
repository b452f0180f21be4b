import { describe, expect, it } from 'vitest';
import {
  compileExpression,
  evaluateCondition,
  evaluateExpression,
  ExpressionEvaluationError,
  ExpressionSyntaxError,
  findTemplates,
  isWholeTemplate,
  renderTemplates,
  type ExpressionContext,
} from '@trellis/dag-interpreter';

const context: ExpressionContext = {
  input: { limit: 10, name: 'Ada', tags: ['a', 'b'], flag: true, nothing: null },
  nodes: {
    fetch: { status: 'SUCCEEDED', output: { status: 200, body: [{ id: 1 }, { id: 2 }, { id: 3 }] } },
    summary: { status: 'SUCCEEDED', output: { count: 3, list: [7] } },
  },
};

describe('renderTemplates', () => {
  it('keeps the type of a whole template: number, object, array, boolean', async () => {
    const rendered = await renderTemplates(
      {
        count: '{{ $count(nodes.fetch.output.body) }}',
        summary: '  {{ nodes.summary.output }}  ',
        ids: '{{ nodes.fetch.output.body.id }}',
        single: '{{ nodes.summary.output.list }}',
        flag: '{{input.flag}}',
        text: '{{ input.name }}',
      },
      context,
    );
    expect(rendered).toEqual({ count: 3, summary: { count: 3, list: [7] }, ids: [1, 2, 3], single: [7], flag: true, text: 'Ada' });
  });

  it('renders a whole template that selects nothing as null', async () => {
    expect(await renderTemplates({ missing: '{{ input.absent }}', explicit: '{{ input.nothing }}' }, context)).toEqual({
      missing: null,
      explicit: null,
    });
  });

  it('renders templates inside text as a string', async () => {
    const rendered = await renderTemplates(
      'GET /items?limit={{ input.limit }}&tags={{ input.tags }}&who={{ input.name }}&none={{ input.absent }}{{ input.nothing }}&ok={{ input.flag }}',
      context,
    );
    expect(rendered).toBe('GET /items?limit=10&tags=["a","b"]&who=Ada&none=&ok=true');
  });

  it('walks arrays and objects deeply, leaves other scalars and keys alone, and does not mutate its input', async () => {
    const config = { '{{ key }}': [1, false, null, 'plain', { deep: ['n={{ input.limit + 1 }}'] }] };
    const snapshot = structuredClone(config);
    expect(await renderTemplates(config, context)).toEqual({ '{{ key }}': [1, false, null, 'plain', { deep: ['n=11'] }] });
    expect(config).toEqual(snapshot);
  });

  it('returns plain data that does not alias the context', async () => {
    const rendered = (await renderTemplates('{{ nodes.summary.output }}', context)) as { list: number[] };
    rendered.list.push(8);
    expect(context.nodes.summary.output).toEqual({ count: 3, list: [7] });
    const ids = await renderTemplates('{{ nodes.fetch.output.body.id }}', context);
    expect(Object.keys(ids as object)).toEqual(['0', '1', '2']);
  });

  it('treats object constructors and braces in string literals as part of the template', async () => {
    expect(await renderTemplates('{{ {"n": {"v": input.limit}} }}', context)).toEqual({ n: { v: 10 } });
    expect(await renderTemplates('<{{ "}}" & input.name }}>', context)).toBe('<}}Ada>');
  });

  it('rejects an unclosed template', async () => {
    const error = await renderTemplates('Hello {{ input.name', context).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ExpressionSyntaxError);
    expect((error as ExpressionSyntaxError).message).toMatch(/unclosed template: "\{\{" at position 6/);
    expect((error as ExpressionSyntaxError).position).toBe(6);
  });

  it('names the failing expression when evaluation fails', async () => {
    const error = await renderTemplates({ url: 'x={{ input.name + 1 }}' }, context).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ExpressionEvaluationError);
    expect((error as Error).message).toMatch(/^error evaluating "input\.name \+ 1": The left side of the "\+" operator must evaluate to a number/);
  });
});

describe('evaluateExpression', () => {
  it('evaluates against { input, nodes }', async () => {
    expect(await evaluateExpression('nodes.summary.output.count > input.limit', context)).toBe(false);
    expect(await evaluateExpression('nodes.fetch.output.body[id = 2]', context)).toEqual({ id: 2 });
    expect(await evaluateExpression('input.absent', context)).toBeUndefined();
  });

  it('throws ExpressionEvaluationError naming the expression, with JSONata code and position', async () => {
    const error = await evaluateExpression('$nope(1)', context).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ExpressionEvaluationError);
    expect(error).toMatchObject({ expression: '$nope(1)', code: 'T1006', message: expect.stringContaining('"$nope(1)"') });
  });

  it('stops runaway recursion with a JSONata error instead of a native stack overflow', async () => {
    const error = await evaluateExpression('($f := function($x) { 1 + $f($x) }; $f(1))', context).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ExpressionEvaluationError);
    expect((error as ExpressionEvaluationError).code).toBe('D1011');
  });
});

describe('compileExpression', () => {
  it('reports syntax errors with the JSONata message and position', () => {
    let error: unknown;
    try {
      compileExpression('$count(nodes.fetch');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ExpressionSyntaxError);
    expect(error).toMatchObject({ position: 18, code: 'S0203' });
    expect((error as Error).message).toBe('invalid expression "$count(nodes.fetch": Expected ")" before end of expression (at position 18)');
  });

  it('caches by source text', () => {
    expect(compileExpression('input.limit * 2')).toBe(compileExpression('input.limit * 2'));
    expect(compileExpression('input.limit * 2')).not.toBe(compileExpression('input.limit * 3'));
  });
});

describe('evaluateCondition', () => {
  const cases: Array<[string, boolean]> = [
    ['""', false],
    ['"x"', true],
    ['0', false],
    ['0.5', true],
    ['[]', false],
    ['[0, false]', false],
    ['[0, 1]', true],
    ['{}', false],
    ['{"a": 1}', true],
    ['null', false],
    ['input.absent', false],
    ['input.flag', true],
    ['nodes.summary.output.count > 2', true],
    ['function($x) { $x }', false],
  ];
  it.each(cases)('casts %s to %s', async (source, expected) => {
    expect(await evaluateCondition(source, context)).toBe(expected);
  });
});

describe('findTemplates and isWholeTemplate', () => {
  it('lists every template with the path of its string', () => {
    const found = findTemplates({ url: 'a={{ input.a }}&b={{input.b}}', body: [{ x: '{{ nodes.s.output }}' }], n: 3, plain: 'text' });
    expect(found).toEqual([
      { path: ['url'], expression: 'input.a', offset: 2 },
      { path: ['url'], expression: 'input.b', offset: 18 },
      { path: ['body', 0, 'x'], expression: 'nodes.s.output', offset: 0 },
    ]);
  });

  it('flags an unclosed template', () => {
    expect(findTemplates({ m: 'ok {{ a }} then {{ b' })).toEqual([
      { path: ['m'], expression: 'a', offset: 3 },
      { path: ['m'], expression: 'b', offset: 16, unclosed: true },
    ]);
  });

  it('recognises whole templates', () => {
    expect(isWholeTemplate('{{ a }}')).toBe(true);
    expect(isWholeTemplate('  {{ {"a": 1} }}\n')).toBe(true);
    expect(isWholeTemplate('{{ a }} {{ b }}')).toBe(false);
    expect(isWholeTemplate('x{{ a }}')).toBe(false);
    expect(isWholeTemplate('{{ a')).toBe(false);
    expect(isWholeTemplate('plain')).toBe(false);
  });
});

describe('secret references in rendering', () => {
  const withData = (value: unknown): ExpressionContext => ({ input: { value }, nodes: {} });

  it('keeps a reference of the DAG as written, rendering the templates around it', async () => {
    expect(await renderTemplates({ auth: 'Bearer {{ secrets.TOKEN }}', to: '{{ input.value }}' }, withData('x'))).toEqual({ auth: 'Bearer {{ secrets.TOKEN }}', to: 'x' });
  });

  it('refuses data that names a secret, in text, in a whole value, or with whitespace escaped in JSON', async () => {
    for (const value of ['{{ secrets.GITHUB_TOKEN }}', 'prefix {{secrets.A}}', { nested: ['{{\n  secrets.B }}'] }]) {
      await expect(renderTemplates({ body: 'comment: {{ input.value }}' }, withData(value))).rejects.toThrow(/data cannot name a secret/);
      await expect(renderTemplates({ body: '{{ input.value }}' }, withData(value))).rejects.toBeInstanceOf(ExpressionEvaluationError);
    }
    // Other braces and the word alone are data like any other.
    expect(await renderTemplates({ body: '{{ input.value }}' }, withData('{{ name }} keeps secrets. safe'))).toEqual({ body: '{{ name }} keeps secrets. safe' });
  });
});
