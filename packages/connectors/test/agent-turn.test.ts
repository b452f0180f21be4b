import { ApplicationFailure } from '@temporalio/common';
import type { AgentMessage, AgentToolDefinition, AgentTurnRequest, AgentTurnResult } from '@trellis/dag-interpreter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectorActivities, createConnectorRegistry, outputInstruction } from '../src/index.js';
import {
  startFakeLlmServer,
  type FakeGeminiRequestBody,
  type FakeLlmServer,
  type FakeOpenAiRequestBody,
} from '@trellis/test-support';
import { activityEnvironment, allowFixture, rejectionOf } from './test-helpers.js';

let fake: FakeLlmServer;
let env: Record<string, string>;
beforeAll(async () => {
  fake = await startFakeLlmServer();
  env = {
    OPENAI_API_KEY: 'sk-test-openai',
    OPENAI_BASE_URL: fake.openaiBaseUrl,
    GEMINI_API_KEY: 'test-gemini-key',
    GEMINI_BASE_URL: fake.geminiBaseUrl,
  };
});
afterAll(async () => {
  await fake.close();
});


function agentTurn(request: AgentTurnRequest, options: { attempt?: number; env?: Record<string, string | undefined> } = {}): Promise<AgentTurnResult> {
  const activities = createConnectorActivities({ registry: createConnectorRegistry(), env: { ...allowFixture(fake.openaiBaseUrl), ...(options.env ?? env) } });
  const environment = activityEnvironment({ attempt: options.attempt ?? 1 });
  return environment.run(activities.agentTurn, request) as Promise<AgentTurnResult>;
}

const failureOf = (promise: Promise<unknown>): Promise<ApplicationFailure> => rejectionOf(promise, ApplicationFailure);

function lastBody<T>(): T {
  return fake.requests.at(-1)!.body as T;
}

const weatherTool: AgentToolDefinition = {
  name: 'get_weather',
  description: 'Current weather in a city.',
  parameters: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    properties: { city: { type: 'string', description: 'City name' }, units: { type: ['string', 'null'], enum: ['metric', 'imperial'] } },
    required: ['city'],
    additionalProperties: false,
  },
};
const clockTool: AgentToolDefinition = { name: 'clock', description: 'The current time.', parameters: { type: 'object', properties: {} } };

function request(overrides: Partial<AgentTurnRequest>): AgentTurnRequest {
  return {
    runId: 'run-1',
    nodeId: 'planner',
    provider: 'openai',
    model: 'test-model',
    messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
    tools: [],
    ...overrides,
  };
}

/** A conversation in which the model called two tools and got both results. */
const afterToolCalls: AgentMessage[] = [
  { role: 'user', content: 'Weather in Paris and the time?' },
  {
    role: 'assistant',
    content: null,
    toolCalls: [
      { id: 'call_a', name: 'get_weather', arguments: { city: 'Paris' } },
      { id: 'call_b', name: 'clock', arguments: {} },
    ],
  },
  { role: 'tool', toolCallId: 'call_a', name: 'get_weather', content: '{"tempC":21}' },
  { role: 'tool', toolCallId: 'call_b', name: 'clock', content: 'noon' },
];

describe('agentTurn, openai', () => {
  it('maps a tool-call reply to toolCalls with parsed arguments and declares the tools in the wire format', async () => {
    fake.enqueue('openai', {
      toolCalls: [
        { name: 'get_weather', arguments: { city: 'Paris', units: 'metric' } },
        { name: 'clock', arguments: 'not json {' },
      ],
      usage: { inputTokens: 31, outputTokens: 9 },
    });
    const result = await agentTurn(
      request({ system: 'You are a travel assistant.', tools: [weatherTool, clockTool], temperature: 0.3, maxOutputTokens: 200 }),
    );

    expect(result).toEqual({
      message: {
        role: 'assistant',
        content: null,
        toolCalls: [
          { id: expect.stringMatching(/^call_\d+_0$/), name: 'get_weather', arguments: { city: 'Paris', units: 'metric' } },
          { id: expect.stringMatching(/^call_\d+_1$/), name: 'clock', arguments: 'not json {' },
        ],
      },
      usage: { inputTokens: 31, outputTokens: 9 },
    });
    const body = lastBody<FakeOpenAiRequestBody>();
    expect(fake.requests.at(-1)!.headers.authorization).toBe('Bearer sk-test-openai');
    expect(body).toMatchObject({ model: 'test-model', temperature: 0.3, max_completion_tokens: 200 });
    expect(body.messages).toEqual([
      { role: 'system', content: 'You are a travel assistant.' },
      { role: 'user', content: 'What is the weather in Paris?' },
    ]);
    expect(body.tools).toEqual([
      { type: 'function', function: { name: 'get_weather', description: weatherTool.description, parameters: weatherTool.parameters } },
      { type: 'function', function: { name: 'clock', description: clockTool.description, parameters: clockTool.parameters } },
    ]);
    expect(body).not.toHaveProperty('response_format');
  });

  it('sends the assistant tool-call message and the tool results in the follow-up request', async () => {
    fake.enqueue('openai', { text: 'It is 21°C in Paris at noon.', usage: { inputTokens: 50, outputTokens: 8 } });
    const result = await agentTurn(request({ messages: afterToolCalls, tools: [weatherTool, clockTool] }));

    expect(result).toEqual({ message: { role: 'assistant', content: 'It is 21°C in Paris at noon.' }, usage: { inputTokens: 50, outputTokens: 8 } });
    expect(lastBody<FakeOpenAiRequestBody>().messages).toEqual([
      { role: 'user', content: 'Weather in Paris and the time?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_b', type: 'function', function: { name: 'clock', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_a', content: '{"tempC":21}' },
      { role: 'tool', tool_call_id: 'call_b', content: 'noon' },
    ]);
  });

  it('omits tools when there are none and sends an empty earlier answer as empty text', async () => {
    fake.enqueue('openai', { text: 'Done.' });
    await agentTurn(
      request({
        messages: [
          { role: 'user', content: 'hi' },
          { role: 'assistant', content: null },
          { role: 'user', content: 'hello?' },
        ],
      }),
    );
    const body = lastBody<FakeOpenAiRequestBody>();
    expect(body).not.toHaveProperty('tools');
    expect(body.messages?.[1]).toEqual({ role: 'assistant', content: '' });
  });
});

describe('agentTurn, gemini', () => {
  it('maps functionCall parts to toolCalls with synthesized ids and declares the tools in the Gemini subset', async () => {
    fake.enqueue('gemini', {
      toolCalls: [
        { name: 'get_weather', arguments: { city: 'Paris' } },
        { name: 'clock', arguments: {} },
      ],
      usage: { inputTokens: 40, outputTokens: 6 },
    });
    const result = await agentTurn(
      request({ provider: 'gemini', system: 'You are a travel assistant.', tools: [weatherTool, clockTool], temperature: 0.5, maxOutputTokens: 300 }),
    );

    expect(result).toEqual({
      message: {
        role: 'assistant',
        content: null,
        toolCalls: [
          { id: 'planner-t0-0', name: 'get_weather', arguments: { city: 'Paris' } },
          { id: 'planner-t0-1', name: 'clock', arguments: {} },
        ],
      },
      usage: { inputTokens: 40, outputTokens: 6 },
    });
    const sent = fake.requests.at(-1)!;
    expect(sent.path).toBe('/v1beta/models/test-model:generateContent');
    expect(sent.headers['x-goog-api-key']).toBe('test-gemini-key');
    const body = sent.body as FakeGeminiRequestBody;
    expect(body.systemInstruction).toMatchObject({ parts: [{ text: 'You are a travel assistant.' }] });
    expect(body.contents).toEqual([{ role: 'user', parts: [{ text: 'What is the weather in Paris?' }] }]);
    expect(body.generationConfig).toEqual({ temperature: 0.5, maxOutputTokens: 300 });
    expect(body.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: 'get_weather',
            description: weatherTool.description,
            parameters: {
              type: 'object',
              properties: {
                city: { type: 'string', description: 'City name' },
                units: { type: 'string', nullable: true, enum: ['metric', 'imperial'] },
              },
              required: ['city'],
            },
          },
          // No parameters: Gemini rejects an OBJECT schema with empty properties.
          { name: 'clock', description: clockTool.description },
        ],
      },
    ]);
  });

  it('numbers call ids by the assistant turns already in the conversation', async () => {
    fake.enqueue('gemini', { toolCalls: [{ name: 'clock', arguments: {} }] });
    const result = await agentTurn(request({ provider: 'gemini', messages: afterToolCalls, tools: [clockTool] }));
    expect(result.message.toolCalls).toEqual([{ id: 'planner-t1-0', name: 'clock', arguments: {} }]);
  });

  it("carries Gemini's thoughtSignature from a call back into the next request", async () => {
    fake.enqueue('gemini', { toolCalls: [{ name: 'clock', arguments: {}, thoughtSignature: 'c2lnbmVk' }] });
    const first = await agentTurn(request({ provider: 'gemini', tools: [clockTool] }));
    expect(first.message.toolCalls).toEqual([{ id: 'planner-t0-0', name: 'clock', arguments: {}, thoughtSignature: 'c2lnbmVk' }]);

    fake.enqueue('gemini', { text: 'noon' });
    const call = first.message.toolCalls![0];
    await agentTurn(
      request({
        provider: 'gemini',
        tools: [clockTool],
        messages: [
          { role: 'user', content: 'What time is it?' },
          first.message,
          { role: 'tool', toolCallId: call.id, name: 'clock', content: '"noon"' },
        ],
      }),
    );
    expect(lastBody<FakeGeminiRequestBody>().contents?.[1]).toEqual({
      role: 'model',
      parts: [{ functionCall: { name: 'clock', args: {} }, thoughtSignature: 'c2lnbmVk' }],
    });
  });

  it('sends the model turn with functionCall parts and the results as functionResponse parts in one function turn', async () => {
    fake.enqueue('gemini', { text: 'It is 21°C in Paris at noon.', usage: { inputTokens: 70, outputTokens: 9 } });
    const result = await agentTurn(
      request({ provider: 'gemini', messages: [...afterToolCalls, { role: 'user', content: 'Thanks!' }], tools: [weatherTool, clockTool] }),
    );

    expect(result).toEqual({ message: { role: 'assistant', content: 'It is 21°C in Paris at noon.' }, usage: { inputTokens: 70, outputTokens: 9 } });
    expect(lastBody<FakeGeminiRequestBody>().contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather in Paris and the time?' }] },
      {
        role: 'model',
        parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }, { functionCall: { name: 'clock', args: {} } }],
      },
      {
        role: 'function',
        parts: [
          { functionResponse: { name: 'get_weather', response: { result: { tempC: 21 } } } },
          { functionResponse: { name: 'clock', response: { result: 'noon' } } },
        ],
      },
      { role: 'user', parts: [{ text: 'Thanks!' }] },
    ]);
  });
});

describe('agentTurn, outputSchema', () => {
  const schema = {
    type: 'object',
    properties: { answer: { type: 'string' }, confidence: { type: 'number', minimum: 0, maximum: 1 } },
    required: ['answer'],
    additionalProperties: false,
  };

  it('accepts a matching JSON answer, asking OpenAI for JSON mode and telling the model the schema', async () => {
    fake.enqueue('openai', { text: '{"answer":"42","confidence":0.9}' });
    const result = await agentTurn(request({ system: 'Be brief.', outputSchema: schema }));

    expect(result.outputCheck).toEqual({ ok: true, json: { answer: '42', confidence: 0.9 } });
    const body = lastBody<FakeOpenAiRequestBody>();
    expect(body.response_format).toEqual({ type: 'json_object' });
    expect(body.messages?.[0]).toEqual({ role: 'system', content: `Be brief.\n\n${outputInstruction(schema)}` });
  });

  it('reports each mismatch with its JSON Pointer path', async () => {
    fake.enqueue('openai', { text: '{"confidence":2,"extra":true}' });
    const result = await agentTurn(request({ outputSchema: schema }));
    expect(result.outputCheck).toEqual({ ok: false, problems: expect.any(Array) });
    const problems = (result.outputCheck as { problems: string[] }).problems;
    expect(problems).toEqual(expect.arrayContaining(['/answer: is required', '/extra: is not allowed', '/confidence: must be <= 1']));
    expect(problems).toHaveLength(3);
  });

  it('reports an answer that is not JSON', async () => {
    fake.enqueue('openai', { text: 'The answer is 42.' });
    const result = await agentTurn(request({ outputSchema: schema }));
    expect(result.outputCheck).toMatchObject({ ok: false, problems: [expect.stringMatching(/^the answer is not valid JSON: /)] });
  });

  it('accepts JSON in a ```json fence (Gemini, no tools: JSON mime type requested)', async () => {
    fake.enqueue('gemini', { text: 'Here you go:\n```json\n{"answer":"Paris"}\n```' });
    const result = await agentTurn(request({ provider: 'gemini', outputSchema: schema }));
    expect(result.outputCheck).toEqual({ ok: true, json: { answer: 'Paris' } });
    const body = lastBody<FakeGeminiRequestBody>();
    expect(body.generationConfig?.responseMimeType).toBe('application/json');
    expect(body.systemInstruction).toMatchObject({ parts: [{ text: outputInstruction(schema) }] });
  });

  it('asks for no JSON mode when the turn offers tools, and checks nothing while the model calls tools', async () => {
    fake.enqueue('gemini', { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] });
    const gemini = await agentTurn(request({ provider: 'gemini', outputSchema: schema, tools: [weatherTool] }));
    expect(gemini.outputCheck).toBeUndefined();
    expect(lastBody<FakeGeminiRequestBody>().generationConfig).not.toHaveProperty('responseMimeType');

    fake.enqueue('openai', { text: '```\n{"answer":"sunny"}\n```' });
    const openai = await agentTurn(request({ outputSchema: schema, tools: [weatherTool] }));
    expect(openai.outputCheck).toEqual({ ok: true, json: { answer: 'sunny' } });
    expect(lastBody<FakeOpenAiRequestBody>()).not.toHaveProperty('response_format');
  });

  it('fails with a non-retryable ConfigError before calling the provider when outputSchema is invalid', async () => {
    const before = fake.requests.length;
    const failure = await failureOf(agentTurn(request({ outputSchema: { type: 'object', propertys: {} } })));
    expect(failure.type).toBe('ConfigError');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('outputSchema is not a valid JSON Schema');
    expect(fake.requests.length).toBe(before);
  });
});

describe('agentTurn, provider failures', () => {
  for (const provider of ['openai', 'gemini'] as const) {
    it(`${provider}: 429 and 500 are retryable LlmProviderErrors, 400 is not`, async () => {
      fake.enqueue(provider, { status: 429, error: 'Rate limit reached', headers: { 'retry-after': '3' } });
      const limited = await failureOf(agentTurn(request({ provider }), { attempt: 2 }));
      expect(limited.type).toBe('LlmProviderError');
      expect(limited.nonRetryable).toBe(false);
      expect(limited.message).toContain('HTTP 429');
      expect(limited.details).toEqual([{ attempt: 2, data: expect.objectContaining({ provider, status: 429 }) }]);
      if (provider === 'openai') expect(limited.nextRetryDelay).toBe(3000);

      fake.enqueue(provider, { status: 500, error: 'internal' });
      const broken = await failureOf(agentTurn(request({ provider })));
      expect(broken.type).toBe('LlmProviderError');
      expect(broken.nonRetryable).toBe(false);
      expect(broken.message).toContain('HTTP 500');

      fake.enqueue(provider, { status: 400, error: 'Invalid value for tools[0]' });
      const rejected = await failureOf(agentTurn(request({ provider })));
      expect(rejected.type).toBe('LlmProviderError');
      expect(rejected.nonRetryable).toBe(true);
      expect(rejected.message).toContain('Invalid value for tools[0]');
    });
  }

  it('a missing API key is a non-retryable ConfigError', async () => {
    const failure = await failureOf(agentTurn(request({ provider: 'gemini' }), { env: { GEMINI_BASE_URL: fake.geminiBaseUrl } }));
    expect(failure.type).toBe('ConfigError');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('GEMINI_API_KEY');
  });
});
