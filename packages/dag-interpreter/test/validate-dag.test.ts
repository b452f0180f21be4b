import { describe, expect, it } from 'vitest';
import { createNodeTypeCatalogue, setConfigSchema, validateDag, type ValidationIssue } from '@trellis/dag-interpreter';
import { dagOf, exampleDag, catalogue } from './fixtures.js';

/** Every type of the catalogue, sorted, as the message lists them. */
const knownTypes = catalogue.types().join(', ');

function issuesOf(raw: unknown): ValidationIssue[] {
  const result = validateDag(raw, { catalogue });
  if (result.ok) throw new Error('expected the DAG to be invalid');
  return result.issues;
}

describe('validateDag: valid documents', () => {
  it('accepts the documented example and returns the parsed DAG with defaults applied', () => {
    const result = validateDag(exampleDag(), { catalogue });
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    expect(result.dag.nodes.map((node) => node.id)).toEqual(['fetch', 'summary', 'gate', 'publish']);
    expect(result.dag.edges).toHaveLength(3);
    expect(result.dag.output).toBe('nodes.summary.output');
  });

  it('defaults edges to [] and config to {}', () => {
    const result = validateDag({ nodes: [{ id: 'wait', type: 'delay', config: { duration: '5m' } }] }, { catalogue });
    expect(result.ok && result.dag.edges).toEqual([]);
    const noConfig = validateDag({ nodes: [{ id: 'a', type: 'bare' }] }, { catalogue: createNodeTypeCatalogue([{ type: 'bare', description: 'A connector whose config may be empty.', configSchema: setConfigSchema.partial() }]) });
    expect(noConfig.ok && noConfig.dag.nodes[0].config).toEqual({});
  });
});

describe('validateDag: one test per rule', () => {
  it('rejects a document that is not an object', () => {
    expect(issuesOf([1, 2])).toEqual([{ path: '', message: 'a DAG must be a JSON object' }]);
  });

  it('maps malformed shape to paths', () => {
    const issues = issuesOf({ nodes: [{ id: '1bad', type: 'set', config: { value: 1 }, colour: 'red' }], edges: 'none' });
    expect(issues).toContainEqual({ path: 'nodes[0].id', message: 'must match ^[A-Za-z_][A-Za-z0-9_]*$' });
    expect(issues).toContainEqual({ path: 'nodes[0].colour', message: 'unknown field "colour"' });
    expect(issues.find((issue) => issue.path === 'edges')?.message).toMatch(/expected array/);
  });

  it('reports a missing nodes array as required', () => {
    expect(issuesOf({ edges: [] })).toEqual([{ path: 'nodes', message: 'is required (array)' }]);
  });

  it('rejects a DAG without nodes', () => {
    expect(issuesOf({ nodes: [] })).toEqual([{ path: 'nodes', message: 'a DAG needs at least one node' }]);
  });

  it('rejects duplicate node ids, naming the first declaration', () => {
    expect(issuesOf(dagOf(['fetch', 'other', 'fetch']))).toEqual([
      { path: 'nodes[2].id', message: 'duplicate node id "fetch" (first declared at nodes[0])' },
    ]);
  });

  it('rejects edges from or to unknown nodes', () => {
    expect(issuesOf(dagOf(['a'], [{ from: 'a', to: 'nope' }, { from: 'ghost', to: 'a' }]))).toEqual([
      { path: 'edges[0].to', message: 'edge target "nope" is not a node' },
      { path: 'edges[1].from', message: 'edge source "ghost" is not a node' },
    ]);
  });

  it('rejects self-loops', () => {
    expect(issuesOf(dagOf(['a', 'b'], [{ from: 'a', to: 'b' }, { from: 'b', to: 'b' }]))).toEqual([
      { path: 'edges[1]', message: 'self-loop: edge from "b" to itself' },
    ]);
  });

  it('rejects cycles, naming the nodes in order at the closing edge', () => {
    const edges = [
      { from: 'a', to: 'b' },
      { from: 'b', to: 'c' },
      { from: 'c', to: 'a' },
      { from: 'c', to: 'd' },
    ];
    expect(issuesOf(dagOf(['a', 'b', 'c', 'd'], edges))).toEqual([{ path: 'edges[2]', message: 'cycle: a → b → c → a' }]);
  });

  it('reports each distinct cycle once, deterministically', () => {
    const edges = [
      { from: 'a', to: 'b' },
      { from: 'b', to: 'a' },
      { from: 'c', to: 'd' },
      { from: 'd', to: 'c' },
      { from: 'b', to: 'c' },
    ];
    const issues = issuesOf(dagOf(['a', 'b', 'c', 'd'], edges));
    expect(issues).toEqual([
      { path: 'edges[1]', message: 'cycle: a → b → a' },
      { path: 'edges[3]', message: 'cycle: c → d → c' },
    ]);
    expect(issuesOf(dagOf(['a', 'b', 'c', 'd'], edges))).toEqual(issues);
  });

  it('handles long chains without overflowing the stack', () => {
    const ids = Array.from({ length: 20_000 }, (_, index) => `n${index}`);
    const edges = ids.slice(1).map((id, index) => ({ from: ids[index], to: id }));
    expect(validateDag(dagOf(ids, edges), { catalogue }).ok).toBe(true);
    edges.push({ from: ids[ids.length - 1], to: ids[0] });
    const [issue] = issuesOf(dagOf(ids, edges));
    expect(issue.path).toBe(`edges[${edges.length - 1}]`);
    expect(issue.message.startsWith('cycle: n0 → n1 → ')).toBe(true);
  });

  it('rejects unknown node types, listing the known ones', () => {
    expect(issuesOf(dagOf([{ id: 'mail', type: 'smtp', config: {} }]))).toEqual([
      { path: 'nodes[0].type', message: `unknown node type "smtp"; known types: ${knownTypes}` },
    ]);
  });

  it('does not treat Object.prototype keys as node types', () => {
    expect(issuesOf(dagOf([{ id: 'x', type: 'constructor' }]))[0].path).toBe('nodes[0].type');
  });

  it('reports per-type config errors under nodes[i].config', () => {
    const issues = issuesOf(
      dagOf([
        { id: 'fetch', type: 'http', config: { method: 'FETCH', url: 'not a url', extra: true } },
        { id: 'gate', type: 'approval', config: { onTimeout: 'maybe' } },
        { id: 'hold', type: 'set', config: {} },
      ]),
    );
    expect(issues.map((issue) => issue.path)).toEqual([
      'nodes[0].config.method',
      'nodes[0].config.url',
      'nodes[0].config.extra',
      'nodes[1].config.message',
      'nodes[1].config.onTimeout',
      'nodes[2].config.value',
    ]);
    expect(issues[2].message).toBe('unknown field "extra"');
    expect(issues[3].message).toBe('is required (string)');
    expect(issues[4].message).toMatch(/"approve"\|"reject"\|"fail"/);
    expect(issues[5].message).toBe('is required');
  });

  it('tolerates config values that hold templates, but not other errors of the same node', () => {
    const issues = issuesOf(
      dagOf([
        {
          id: 'fetch',
          type: 'http',
          config: { method: '{{ input.method }}', url: '{{ input.url }}', query: '{{ input.filters }}', timeoutMs: 5 },
        },
        { id: 'wait', type: 'delay', config: { duration: '{{ input.minutes }}m' } },
        { id: 'ask', type: 'llm', config: { provider: 'openai', model: 'small', prompt: 'Say {{ input.word }}', temperature: '{{ input.t }}' } },
      ]),
    );
    expect(issues).toEqual([{ path: 'nodes[0].config.timeoutMs', message: 'unknown field "timeoutMs"' }]);
  });

  it('does not tolerate a wrongly typed value without a template', () => {
    expect(issuesOf(dagOf([{ id: 'fetch', type: 'http', config: { url: 'http://x.test', query: 'lots' } }]))).toEqual([
      { path: 'nodes[0].config.query', message: expect.stringMatching(/expected record/) },
    ]);
  });

  it('rejects JSONata syntax errors in edge conditions', () => {
    const [issue] = issuesOf(dagOf(['a', 'b'], [{ from: 'a', to: 'b', condition: 'nodes.a.output.count >' }]));
    expect(issue.path).toBe('edges[0].condition');
    expect(issue.message).toBe('invalid expression "nodes.a.output.count >": Unexpected end of expression (at position 22)');
  });

  it('rejects JSONata syntax errors in templates, at the path of the string', () => {
    const issues = issuesOf(dagOf([{ id: 's', type: 'set', config: { value: { list: ['ok', 'bad {{ $count( }}'] } } }]));
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe('nodes[0].config.value.list[1]');
    expect(issues[0].message).toMatch(/^invalid expression "\$count\(": Expected "\)" before end of expression/);
  });

  it('rejects unclosed and empty templates', () => {
    const issues = issuesOf(
      dagOf([
        { id: 's', type: 'set', config: { value: 'Hello {{ input.name' } },
        { id: 't', type: 'set', config: { value: 'Hello {{ }}' } },
      ]),
    );
    expect(issues).toEqual([
      { path: 'nodes[0].config.value', message: 'unclosed template: "{{" at position 6 has no matching "}}"' },
      { path: 'nodes[1].config.value', message: 'empty template "{{ }}" at position 6' },
    ]);
  });

  it('quotes config keys that are not identifiers', () => {
    const [issue] = issuesOf(dagOf([{ id: 'f', type: 'http', config: { url: 'http://x.test', headers: { 'x-trace': '{{ ) }}' } } }]));
    expect(issue.path).toBe('nodes[0].config.headers["x-trace"]');
  });

  it('rejects JSONata syntax errors in the output expression', () => {
    const dag = { ...dagOf(['a']), output: 'nodes.a.output[' };
    const [issue] = issuesOf(dag);
    expect(issue.path).toBe('output');
    expect(issue.message).toMatch(/^invalid expression "nodes\.a\.output\[":/);
  });

  it('rejects malformed durations in timeout and retry intervals', () => {
    const node = { id: 'f', type: 'http', config: { url: 'http://x.test' }, timeout: '10 seconds', retry: { initialInterval: '1sec', maximumInterval: '-5m' } };
    const issues = issuesOf(dagOf([node]));
    const durationMessage = 'must be a duration such as "500ms", "10s", "5m", "1h" or "1d"';
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'nodes[0].timeout', message: durationMessage },
        { path: 'nodes[0].retry.initialInterval', message: durationMessage },
        { path: 'nodes[0].retry.maximumInterval', message: durationMessage },
      ]),
    );
    expect(issues).toHaveLength(3);
  });

  it('rejects durations Temporal would refuse', () => {
    const node = { id: 'f', type: 'http', config: { url: 'http://x.test' }, timeout: '0s', retry: { initialInterval: '10s', maximumInterval: '5s' } };
    expect(issuesOf(dagOf([node]))).toEqual([
      { path: 'nodes[0].timeout', message: 'must be greater than 0' },
      { path: 'nodes[0].retry.maximumInterval', message: 'must not be less than initialInterval ("10s")' },
    ]);
    const zero = { ...node, timeout: '1s', retry: { initialInterval: '0ms' } };
    expect(issuesOf(dagOf([zero]))).toEqual([{ path: 'nodes[0].retry.initialInterval', message: 'must be greater than 0' }]);
  });

  it('rejects bad durations in configs', () => {
    const issues = issuesOf(
      dagOf([
        { id: 'wait', type: 'delay', config: { duration: 'soon' } },
        { id: 'gate', type: 'approval', config: { message: 'ok?', timeout: '99999999999999999999d' } },
      ]),
    );
    expect(issues).toEqual([
      { path: 'nodes[0].config.duration', message: 'must be a duration such as "500ms", "10s", "5m", "1h" or "1d"' },
      { path: 'nodes[1].config.timeout', message: 'is too large to be expressed in milliseconds' },
    ]);
  });

  it('rejects an invalid inputSchema with the path inside it', () => {
    const dag = { ...dagOf(['a']), inputSchema: { type: 'object', properties: { threshold: { type: 'nmber' } } } };
    expect(issuesOf(dag)).toEqual([
      {
        path: 'inputSchema.properties.threshold.type',
        message: 'must be one of: array, boolean, integer, null, number, object, string',
      },
    ]);
  });

  it('rejects unknown keywords, unresolvable refs and unsupported dialects in inputSchema', () => {
    expect(issuesOf({ ...dagOf(['a']), inputSchema: { type: 'object', propertys: {} } })).toEqual([
      { path: 'inputSchema', message: 'strict mode: unknown keyword: "propertys"' },
    ]);
    expect(issuesOf({ ...dagOf(['a']), inputSchema: { $ref: '#/$defs/missing' } })[0]).toMatchObject({
      path: 'inputSchema',
      message: expect.stringContaining("can't resolve reference #/$defs/missing"),
    });
    expect(issuesOf({ ...dagOf(['a']), inputSchema: { $schema: 'http://json-schema.org/draft-04/schema#' } })).toEqual([
      { path: 'inputSchema.$schema', message: expect.stringContaining('unsupported JSON Schema dialect') },
    ]);
  });

  it('accepts a draft-07 inputSchema', () => {
    const inputSchema = { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', definitions: { n: { type: 'number' } } };
    expect(validateDag({ ...dagOf(['a']), inputSchema }, { catalogue }).ok).toBe(true);
  });
});

describe('validateDag: several problems at once', () => {
  it('reports every problem, and checks the other nodes despite a malformed one', () => {
    const raw = {
      nodes: [
        { id: 'fetch', type: 'http', config: { url: 'http://x.test' }, timeout: 'forever' },
        { id: 'fetch', type: 'smtp' },
        { id: 'gate', type: 'approval', config: { message: 'Go {{ nodes.fetch.output.', onTimeout: 'maybe' } },
        'not a node',
      ],
      edges: [
        { from: 'fetch', to: 'gate', condition: 'nodes.fetch.output =' },
        { from: 'gate', to: 'fetch' },
        { from: 'gate', to: 'elsewhere' },
      ],
      output: '(',
      inputSchema: { type: 7 },
    };
    expect(issuesOf(raw)).toEqual([
      { path: 'nodes[0].timeout', message: 'must be a duration such as "500ms", "10s", "5m", "1h" or "1d"' },
      { path: 'nodes[3]', message: expect.stringMatching(/expected object/) },
      { path: 'nodes[1].id', message: 'duplicate node id "fetch" (first declared at nodes[0])' },
      { path: 'edges[2].to', message: 'edge target "elsewhere" is not a node' },
      { path: 'edges[1]', message: 'cycle: fetch → gate → fetch' },
      { path: 'nodes[1].type', message: `unknown node type "smtp"; known types: ${knownTypes}` },
      { path: 'nodes[2].config.onTimeout', message: expect.stringContaining('Invalid option') },
      { path: 'nodes[2].config.message', message: 'unclosed template: "{{" at position 3 has no matching "}}"' },
      { path: 'edges[0].condition', message: expect.stringMatching(/^invalid expression "nodes\.fetch\.output ="/) },
      { path: 'output', message: expect.stringMatching(/^invalid expression "\("/) },
      { path: 'inputSchema.type', message: 'must be one of: array, boolean, integer, null, number, object, string' },
    ]);
  });
});
