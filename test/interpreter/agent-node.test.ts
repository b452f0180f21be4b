import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type FakeLlmServer, type HttpFixture, startFakeLlmServer, startHttpFixture } from '@trellis/test-support';
import { createHarness, type Harness, nodeRows } from '@trellis/test-support/worker';
import { APPROVAL_DECISION_SIGNAL, type ApprovalDecision } from '@trellis/dag-interpreter';

let harness: Harness;
let llm: FakeLlmServer;
let http: HttpFixture;
beforeAll(async () => {
  llm = await startFakeLlmServer();
  http = await startHttpFixture();
  http.always('GET /weather', { body: { forecast: 'sunny', celsius: 24 } });
  harness = await createHarness({
    egressAllow: [llm.openaiBaseUrl, http.url],
    env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: llm.openaiBaseUrl, GEMINI_API_KEY: 'g-test', GEMINI_BASE_URL: llm.geminiBaseUrl },
  });
});
afterAll(async () => {
  await harness?.close();
  await llm?.close();
  await http?.close();
});

const weatherAgent = (provider: 'openai' | 'gemini', extra: Record<string, unknown> = {}) => ({
  nodes: [
    {
      id: 'assistant',
      type: 'agent',
      config: {
        provider,
        model: provider === 'openai' ? 'gpt-test' : 'gemini-test',
        system: 'You answer questions about the weather.',
        prompt: 'What is the weather in {{ input.city }}?',
        maxTurns: 4,
        tools: [
          {
            name: 'get_weather',
            description: 'Current weather for a city',
            parameters: { type: 'object', required: ['city'], properties: { city: { type: 'string' } } },
            http: { url: `${http.url}/weather`, query: { city: '{{ args.city }}' } },
          },
        ],
        ...extra,
      },
    },
  ],
  edges: [],
});

const requestsOf = (provider: 'openai' | 'gemini') => llm.requests.filter((request) => request.provider === provider);

describe('agent node', () => {
  it.each(['openai', 'gemini'] as const)('%s: calls a tool, feeds the result back, and answers', async (provider) => {
    const before = requestsOf(provider).length;
    const weatherBefore = http.count('GET /weather');
    llm.enqueue(provider, { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }], usage: { inputTokens: 30, outputTokens: 5 } });
    llm.enqueue(provider, { text: 'It is sunny and 24 °C in Paris.', usage: { inputTokens: 50, outputTokens: 9 } });

    const { runId, output, failure } = await harness.run(weatherAgent(provider), { city: 'Paris' });
    expect(failure).toBeUndefined();
    expect(output).toEqual({
      assistant: {
        text: 'It is sunny and 24 °C in Paris.',
        turns: 2,
        toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' }, result: { forecast: 'sunny', celsius: 24 } }],
        usage: { inputTokens: 80, outputTokens: 14 },
      },
    });
    expect(requestsOf(provider).length - before).toBe(2);
    expect(http.count('GET /weather') - weatherBefore).toBe(1);
    expect(http.requests.at(-1)?.path).toBe('/weather?city=Paris');
    // The second turn carried the tool's result back to the model.
    expect(JSON.stringify(requestsOf(provider).at(-1)?.body)).toContain('sunny');
    expect((await nodeRows(harness, runId)).assistant.status).toBe('SUCCEEDED');
  });

  it('fails with AgentMaxTurnsExceeded when the model keeps calling tools, without calling the unanswerable ones', async () => {
    const weatherBefore = http.count('GET /weather');
    for (let i = 0; i < 2; i++) llm.enqueue('openai', { toolCalls: [{ name: 'get_weather', arguments: { city: `C${i}` } }] });
    const { runId, failure } = await harness.run(weatherAgent('openai', { maxTurns: 2 }), { city: 'Oslo' });
    expect(failure?.cause?.message).toMatch(/reached maxTurns \(2\) while the model still calls tools/);
    const rows = await nodeRows(harness, runId);
    expect(rows.assistant.status).toBe('FAILED');
    expect(rows.assistant.error).toMatchObject({ type: 'AgentMaxTurnsExceeded' });
    expect(http.count('GET /weather') - weatherBefore).toBe(1);
  });

  it('fails with AgentTokenBudgetExceeded past maxTokens', async () => {
    llm.enqueue('openai', { toolCalls: [{ name: 'get_weather', arguments: { city: 'Rome' } }], usage: { inputTokens: 400, outputTokens: 200 } });
    const { failure } = await harness.run(weatherAgent('openai', { maxTokens: 500 }), { city: 'Rome' });
    expect(failure?.cause?.message).toMatch(/used 600 tokens, more than maxTokens \(500\)/);
  });

  it('tells the model about invalid arguments instead of calling the tool', async () => {
    const weatherBefore = http.count('GET /weather');
    llm.enqueue('openai', { toolCalls: [{ name: 'get_weather', arguments: { town: 'Lyon' } }] });
    llm.enqueue('openai', { text: 'I could not look it up.' });
    const { output } = await harness.run(weatherAgent('openai'), { city: 'Lyon' });
    const result = (output as { assistant: { toolCalls: { result: { error: string } }[] } }).assistant.toolCalls[0].result;
    expect(result.error).toMatch(/city/);
    expect(http.count('GET /weather') - weatherBefore).toBe(0);
  });

  it('validates the final answer against outputSchema with one repair turn', async () => {
    llm.enqueue('openai', { text: '{"celsius": "warm"}' });
    llm.enqueue('openai', { text: '{"celsius": 24}' });
    const schema = { type: 'object', required: ['celsius'], properties: { celsius: { type: 'number' } } };
    const { output } = await harness.run(weatherAgent('openai', { outputSchema: schema, tools: [] }), { city: 'Nice' });
    expect(output).toMatchObject({ assistant: { json: { celsius: 24 }, turns: 2 } });

    llm.enqueue('openai', { text: '{"celsius": "warm"}' });
    llm.enqueue('openai', { text: 'still not a number' });
    const { failure } = await harness.run(weatherAgent('openai', { outputSchema: schema, tools: [] }), { city: 'Nice' });
    expect(failure?.cause?.message).toMatch(/does not match outputSchema/);
  });

  it('pauses on an approval before a guarded tool call and proceeds once approved', async () => {
    const weatherBefore = http.count('GET /weather');
    llm.enqueue('openai', { toolCalls: [{ name: 'get_weather', arguments: { city: 'Bern' } }] });
    llm.enqueue('openai', { text: 'Sunny in Bern.' });
    const dag = weatherAgent('openai');
    (dag.nodes[0].config.tools as Record<string, unknown>[])[0].requireApproval = true;
    const { runId, result } = await harness.start(dag, { city: 'Bern' });
    const approval = await eventually(() => harness.db.prisma.approval.findFirst({ where: { runId, status: 'PENDING' } }));
    expect(approval.details).toMatchObject({ tool: 'get_weather', arguments: { city: 'Bern' } });
    expect((await nodeRows(harness, runId)).assistant.status).toBe('WAITING');
    expect(http.count('GET /weather') - weatherBefore).toBe(0);

    const decidedAt = new Date();
    await harness.db.prisma.approval.update({ where: { id: approval.id }, data: { status: 'APPROVED', decidedAt } });
    const decision: ApprovalDecision = { approvalId: approval.id, nodeId: 'assistant', approved: true, comment: null, decidedAt: decidedAt.toISOString() };
    await harness.client.workflow.getHandle(runId).signal(APPROVAL_DECISION_SIGNAL, decision);
    const { output } = await result;
    expect(output).toMatchObject({ assistant: { text: 'Sunny in Bern.', toolCalls: [{ name: 'get_weather' }] } });
    expect(http.count('GET /weather') - weatherBefore).toBe(1);
  });

  it('calls another agent as a tool (a sub-flow run)', async () => {
    const versionId = await harness.createVersion({
      inputSchema: { type: 'object', required: ['a', 'b'], properties: { a: { type: 'number' }, b: { type: 'number' } } },
      nodes: [{ id: 'sum', type: 'set', config: { value: '{{ input.a + input.b }}' } }],
      edges: [],
      output: 'nodes.sum.output',
    });
    const { agentId } = await harness.db.prisma.agentVersion.findUniqueOrThrow({ where: { id: versionId } });
    llm.enqueue('openai', { toolCalls: [{ name: 'add', arguments: { a: 2, b: 40 } }] });
    llm.enqueue('openai', { text: '42' });
    const { runId, output } = await harness.run({
      nodes: [
        {
          id: 'math',
          type: 'agent',
          config: {
            provider: 'openai',
            model: 'gpt-test',
            prompt: 'add 2 and 40',
            maxTurns: 3,
            tools: [{ name: 'add', description: 'adds', parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } }, agent: { id: agentId } }],
          },
        },
      ],
      edges: [],
    });
    expect(output).toMatchObject({ math: { text: '42', toolCalls: [{ name: 'add', arguments: { a: 2, b: 40 }, result: 42 }] } });
    expect(await harness.db.prisma.run.count({ where: { parentRunId: runId, trigger: 'SUBFLOW' } })).toBe(1);
  });
});
