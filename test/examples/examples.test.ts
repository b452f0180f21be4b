/**
 * The agents in `examples/` (registered by `npm run demo`): every file validates as the API would validate
 * it and against the published DAG JSON Schema; `research-digest` runs end to end on a real worker
 * against a fake OpenAI-compatible server, and `license-audit` against lockfiles served locally.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileJsonSchema, dagJsonSchema, validateDag } from '@trellis/dag-interpreter';
import { nodeTypeCatalogue } from '@trellis/connectors';
import {
  eventually,
  type FakeLlmServer,
  type FakeOpenAiRequestBody,
  type HttpFixture,
  startFakeLlmServer,
  startHttpFixture,
} from '@trellis/test-support';
import { createHarness, type Harness, nodeRows } from '@trellis/test-support/worker';

const examplesDir = new URL('../../examples/', import.meta.url);
const files = readdirSync(examplesDir).filter((file) => file.endsWith('.json')).sort();
const catalogue = nodeTypeCatalogue();
const matchesDagJsonSchema = compileJsonSchema(dagJsonSchema(catalogue));

/** An example file as `scripts/demo.js` registers it. */
interface Example {
  name: unknown;
  description: unknown;
  dag: unknown;
}

function readExample(file: string): Example {
  return JSON.parse(readFileSync(new URL(file, examplesDir), 'utf8')) as Example;
}

describe('examples/*.json', () => {
  it('holds the examples the README and the demo name', () => {
    expect(files).toEqual(expect.arrayContaining(['license-audit.json', 'license-summary-llm.json', 'research-digest.json']));
  });

  it.each(files)('%s has a name (its file name), a description and a valid DAG', (file) => {
    const example = readExample(file);
    expect(example.name).toBe(file.replace(/\.json$/, ''));
    expect(typeof example.description).toBe('string');
    expect((example.description as string).length).toBeGreaterThan(0);
    const result = validateDag(example.dag, { catalogue });
    expect(result.ok ? [] : result.issues).toEqual([]);
    // What editors check against the published schema agrees.
    matchesDagJsonSchema(example.dag);
    expect(matchesDagJsonSchema.errors ?? []).toEqual([]);
  });
});

describe('research-digest on a real worker', () => {
  const dag = readExample('research-digest.json').dag;
  let harness: Harness;
  let llm: FakeLlmServer;
  let http: HttpFixture;

  beforeAll(async () => {
    llm = await startFakeLlmServer();
    http = await startHttpFixture();
    http.always('GET /search', { body: { results: [{ title: 'Result', url: 'https://example.test/a', snippet: 'news' }] } });
    http.always('POST /digest', { status: 201, body: { received: true } });
    http.always('POST /gone', { status: 410, body: { error: 'gone' } });
    harness = await createHarness({ egressAllow: [llm.openaiBaseUrl, http.url], env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: llm.openaiBaseUrl } });
  });
  afterAll(async () => {
    await harness?.close();
    await llm?.close();
    await http?.close();
  });

  /** Queues one search call and one schema-conforming answer per topic, identical for every topic. */
  const queueResearch = (topics: number) => {
    for (let i = 0; i < topics; i++) llm.enqueue('openai', { toolCalls: [{ name: 'web_search', arguments: { query: 'latest news' } }] });
    for (let i = 0; i < topics; i++) {
      llm.enqueue('openai', { text: JSON.stringify({ summary: 'Something happened.', sources: ['https://example.test/a'] }) });
    }
  };
  const input = (topics: string[], digestPath: string) => ({
    topics,
    searchUrl: `${http.url}/search`,
    digestUrl: `${http.url}${digestPath}`,
    model: 'gpt-test',
  });

  it('researches every topic with the agent and its search tool, then posts the digest', async () => {
    const llmBefore = llm.requests.length;
    const searchesBefore = http.count('GET /search');
    queueResearch(2);

    const { runId, output, failure } = await harness.run(dag, input(['durable execution', 'sagas'], '/digest'));
    expect(failure).toBeUndefined();

    const digest = {
      generatedAt: expect.any(String),
      topics: [
        { topic: 'durable execution', summary: 'Something happened.', sources: ['https://example.test/a'] },
        { topic: 'sagas', summary: 'Something happened.', sources: ['https://example.test/a'] },
      ],
      failed: [],
      text: '## durable execution\nSomething happened.\n\n## sagas\nSomething happened.',
    };
    expect(output).toEqual({ delivered: true, digest });
    const posted = http.requests.filter((request) => request.method === 'POST' && request.path === '/digest').at(-1);
    expect(posted?.body).toEqual(digest);

    // Two LLM turns and one search per topic; each topic's first turn asked about that topic with the item's model.
    const turns = llm.requests.slice(llmBefore).map((request) => request.body as FakeOpenAiRequestBody);
    expect(turns).toHaveLength(4);
    expect(http.count('GET /search') - searchesBefore).toBe(2);
    const search = http.requests.filter((request) => request.path.startsWith('/search')).at(-1);
    expect(new URL(search?.path ?? '/', http.url).searchParams.get('q')).toBe('latest news');
    for (const topic of ['durable execution', 'sagas']) {
      const asked = turns.some((turn) =>
        turn.messages?.some((message) => message.role === 'user' && String(message.content).includes(`"${topic}"`)),
      );
      expect(asked, topic).toBe(true);
    }
    expect(new Set(turns.map((turn) => turn.model))).toEqual(new Set(['gpt-test']));

    const rows = await nodeRows(harness, runId);
    expect(rows.research.status).toBe('SUCCEEDED');
    expect(rows.deliver.status).toBe('SUCCEEDED');
    expect(rows.undelivered.status).toBe('SKIPPED');
  });

  it('takes the error edge when the webhook refuses the digest, and the run still succeeds', async () => {
    queueResearch(1);
    const gone = http.count('POST /gone');

    const { runId, output, failure } = await harness.run(dag, input(['replay'], '/gone'));
    expect(failure).toBeUndefined();
    expect(output).toMatchObject({
      delivered: false,
      reason: expect.stringContaining('410'),
      digest: { topics: [{ topic: 'replay', summary: 'Something happened.' }], failed: [] },
    });
    // 410 is not retried: one request, then the fallback.
    expect(http.count('POST /gone') - gone).toBe(1);

    const rows = await nodeRows(harness, runId);
    expect(rows.deliver.status).toBe('FAILED');
    expect(rows.deliver.error).toMatchObject({ type: 'HttpStatusError' });
    expect(rows.undelivered.status).toBe('SUCCEEDED');
    const run = await harness.db.prisma.run.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status).toBe('SUCCEEDED');
  });

  it('lists a topic whose agent could not answer as failed and still delivers the others', async () => {
    // Not JSON, so the answer fails outputSchema; the repair turn gets the same: the agent node fails.
    llm.enqueue('openai', { text: 'I could not find anything.' });
    llm.enqueue('openai', { text: 'Still nothing.' });

    const { output, failure } = await harness.run(dag, input(['nothing to find'], '/digest'));
    expect(failure).toBeUndefined();
    expect(output).toEqual({
      delivered: true,
      digest: { generatedAt: expect.any(String), topics: [], failed: ['nothing to find'], text: '' },
    });
  });
});

describe('license-audit on a real worker', () => {
  const dag = readExample('license-audit.json').dag;
  let harness: Harness;
  let http: HttpFixture;
  beforeAll(async () => {
    http = await startHttpFixture();
    harness = await createHarness({ egressAllow: [http.url] });
  });
  afterAll(async () => {
    await harness?.close();
    await http?.close();
  });

  const lockfile = (licenses: Record<string, string>) => ({
    packages: { '': { name: 'app' }, ...Object.fromEntries(Object.entries(licenses).map(([name, license]) => [`node_modules/${name}`, { license }])) },
  });

  it('publishes at once when no license needs review, a dual license with a free alternative included', async () => {
    http.always('GET /free.json', { body: lockfile({ left: 'MIT', layout: 'EPL-2.0 OR GPL-3.0-or-later' }) });
    const { output } = await harness.run(dag, { lockfileUrl: `${http.url}/free.json`, reportUrl: `${http.url}/reports` });
    expect(output).toMatchObject({ packages: 2, needsReview: [], published: true });
    expect(http.requests.filter((request) => request.path === '/reports')).toHaveLength(1);
  });

  it('asks a person first when every alternative of a license needs review', async () => {
    http.always('GET /copyleft.json', { body: lockfile({ left: 'MIT', strict: 'GPL-2.0-only', either: 'GPL-2.0 OR AGPL-3.0' }) });
    const { runId, result } = await harness.start(dag, { lockfileUrl: `${http.url}/copyleft.json`, reportUrl: `${http.url}/reports` });
    const rows = await eventually(async () => {
      const nodes = await nodeRows(harness, runId);
      return nodes.review?.status === 'WAITING' && nodes;
    });
    expect(rows.audit.output).toMatchObject({ needsReview: ['strict', 'either'] });
    await harness.client.workflow.getHandle(runId).terminate('test done');
    await expect(result).rejects.toThrow('test done');
  });
});
