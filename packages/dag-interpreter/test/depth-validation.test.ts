import { describe, expect, it } from 'vitest';
import { validateDag, type ValidationIssue } from '@trellis/dag-interpreter';
import { catalogue } from './fixtures.js';

function issuesOf(raw: unknown): ValidationIssue[] {
  const result = validateDag(raw, { catalogue });
  if (result.ok) throw new Error('expected the DAG to be invalid');
  return result.issues;
}

function accepts(raw: unknown): void {
  const result = validateDag(raw, { catalogue });
  expect(result.ok ? [] : result.issues).toEqual([]);
}

const http = (id: string, extra: Record<string, unknown> = {}) => ({ id, type: 'http', config: { url: 'http://127.0.0.1/x' }, ...extra });
const set = (id: string) => ({ id, type: 'set', config: { value: 1 } });

describe('onError and error edges', () => {
  it('accepts a routed node with an error edge', () => {
    accepts({ nodes: [http('call', { onError: 'route' }), set('recover')], edges: [{ from: 'call', to: 'recover', on: 'error' }] });
  });

  it('rejects an error edge from a node that does not route', () => {
    expect(issuesOf({ nodes: [http('call'), set('recover')], edges: [{ from: 'call', to: 'recover', on: 'error' }] })).toContainEqual({
      path: 'edges[0].on',
      message: 'an "error" edge needs its source "call" to set onError: "route"',
    });
  });

  it('rejects "route" without an error edge, and unknown modes', () => {
    expect(issuesOf({ nodes: [http('call', { onError: 'route' })] })).toContainEqual({
      path: 'nodes[0].onError',
      message: 'is "route" but no edge leaves this node with on: "error"',
    });
    expect(issuesOf({ nodes: [http('call', { onError: 'ignore' })] }).map((issue) => issue.path)).toContain('nodes[0].onError');
  });
});

describe('compensate', () => {
  it('accepts a connector action with templates', () => {
    accepts({ nodes: [http('book', { compensate: { type: 'http', config: { method: 'DELETE', url: 'http://h/{{ nodes.book.output.body.id }}' } } })] });
  });

  it('rejects workflow node types and unknown types at compensate.type', () => {
    expect(issuesOf({ nodes: [http('a', { compensate: { type: 'delay', config: { duration: '1s' } } })] })[0].path).toBe('nodes[0].compensate.type');
    expect(issuesOf({ nodes: [http('a', { compensate: { type: 'nope' } })] })[0].message).toMatch(/must be a connector type \(code, http, llm\)/);
  });

  it("checks the action's config against its connector, and its templates", () => {
    const issues = issuesOf({ nodes: [http('a', { compensate: { type: 'http', config: { url: 'not a url', body: '{{ (' } } })] });
    expect(issues.map((issue) => issue.path)).toEqual(expect.arrayContaining(['nodes[0].compensate.config.url', 'nodes[0].compensate.config.body']));
  });
});

describe('forEach', () => {
  const loop = (config: Record<string, unknown>) => ({ nodes: [{ id: 'loop', type: 'forEach', config }] });

  it('accepts an inline body and an agent body', () => {
    accepts(loop({ items: 'input.list', nodes: [set('a'), set('b')], edges: [{ from: 'a', to: 'b' }], output: 'nodes.b.output', concurrency: 8 }));
    accepts(loop({ items: '[1,2]', agent: { id: '6f1c0e4a-1111-4a4a-8a8a-123456789abc', version: 2 } }));
  });

  it('validates the inline body as a DAG, with paths inside the node config', () => {
    const issues = issuesOf(loop({ items: 'input.list', nodes: [set('a'), { id: 'a', type: 'set', config: { value: 2 } }], edges: [{ from: 'a', to: 'z' }] }));
    expect(issues).toContainEqual({ path: 'nodes[0].config.nodes[1].id', message: 'duplicate node id "a" (first declared at nodes[0])' });
    expect(issues).toContainEqual({ path: 'nodes[0].config.edges[0].to', message: 'edge target "z" is not a node' });
  });

  it('rejects bad items syntax, both or no body, approvals inside, and concurrency out of range', () => {
    expect(issuesOf(loop({ items: 'input.(', nodes: [set('a')] })).map((issue) => issue.path)).toContain('nodes[0].config.items');
    expect(issuesOf(loop({ items: 'x' }))[0].message).toMatch(/exactly one body/);
    expect(issuesOf(loop({ items: 'x', nodes: [{ id: 'ok', type: 'approval', config: { message: 'm' } }] }))).toContainEqual(
      expect.objectContaining({ path: 'nodes[0].config.nodes[0].type' }),
    );
    expect(issuesOf(loop({ items: 'x', nodes: [set('a')], concurrency: 1000 })).map((issue) => issue.path)).toContain('nodes[0].config.concurrency');
    const compensated = { ...http('b'), compensate: { type: 'http', config: { url: 'http://h' } } };
    expect(issuesOf(loop({ items: 'x', nodes: [compensated] })).map((issue) => issue.path)).toContain('nodes[0].config.nodes[0].compensate');
  });
});

describe('agent', () => {
  const agent = (config: Record<string, unknown>) => ({
    nodes: [{ id: 'bot', type: 'agent', config: { provider: 'openai', model: 'm', prompt: 'p', maxTurns: 3, ...config } }],
  });
  const tool = (extra: Record<string, unknown>) => ({ name: 'lookup', description: 'd', ...extra });

  it('accepts http and agent tools', () => {
    accepts(agent({ tools: [tool({ http: { url: 'http://h/{{ args.q }}' } }), tool({ name: 'sub', agent: { id: 'x' } })] }));
  });

  it('requires maxTurns and checks tools: one backend, unique names, http config, parameters as JSON Schema', () => {
    expect(issuesOf({ nodes: [{ id: 'bot', type: 'agent', config: { provider: 'openai', model: 'm', prompt: 'p' } }] })).toContainEqual(
      expect.objectContaining({ path: 'nodes[0].config.maxTurns' }),
    );
    const issues = issuesOf(
      agent({
        tools: [
          tool({}),
          tool({ http: { url: 'nope' }, parameters: { type: 'object', properties: { q: { type: 'strang' } } } }),
          tool({ name: 'bad name!', http: { url: 'http://h' } }),
        ],
        outputSchema: { type: 42 },
      }),
    );
    const paths = issues.map((issue) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'nodes[0].config.tools[0]',
        'nodes[0].config.tools[1].name',
        'nodes[0].config.tools[1].http.url',
        'nodes[0].config.tools[2].name',
      ]),
    );
    expect(paths.some((path) => path.startsWith('nodes[0].config.tools[1].parameters'))).toBe(true);
    expect(paths.some((path) => path.startsWith('nodes[0].config.outputSchema'))).toBe(true);
  });

  it('checks template syntax inside tool requests', () => {
    expect(issuesOf(agent({ tools: [tool({ http: { url: 'http://h/{{ args.( }}' } })] })).map((issue) => issue.path)).toContain(
      'nodes[0].config.tools[0].http.url',
    );
  });
});
