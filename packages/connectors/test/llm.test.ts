import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectorError, llmConnector, parseConnectorConfig } from '../src/index.js';
import { freePort, startFakeLlmServer, type FakeLlmServer } from '@trellis/test-support';
import { allowFixture, rejectionOf, testContext } from './test-helpers.js';

let fake: FakeLlmServer;
let env: Record<string, string>;
beforeAll(async () => {
  fake = await startFakeLlmServer();
  env = {
    ...allowFixture(fake.openaiBaseUrl),
    OPENAI_API_KEY: 'sk-test-openai',
    OPENAI_BASE_URL: fake.openaiBaseUrl,
    GEMINI_API_KEY: 'test-gemini-key',
    GEMINI_BASE_URL: `${fake.geminiBaseUrl}/`, // trailing slash tolerated
  };
});
afterAll(async () => {
  await fake.close();
});

function runLlm(config: unknown, environment: Record<string, string | undefined> = env) {
  return llmConnector.execute(parseConnectorConfig(llmConnector.configSchema, config, 'llm'), testContext(environment));
}

const failureOf = (promise: Promise<unknown>): Promise<ConnectorError> => rejectionOf(promise, ConnectorError);

function lastRequest() {
  return fake.requests.at(-1)!;
}

describe('llm connector, openai', () => {
  it('sends model, messages, temperature and max tokens, and maps the answer', async () => {
    fake.enqueue('openai', { text: 'Bonjour', usage: { inputTokens: 12, outputTokens: 3 } });
    const output = await runLlm({
      provider: 'openai',
      model: 'gpt-test',
      system: 'You translate to French.',
      prompt: 'Hello',
      temperature: 0.2,
      maxTokens: 50,
    });
    expect(output).toEqual({ text: 'Bonjour', model: 'gpt-test', usage: { inputTokens: 12, outputTokens: 3 } });

    const sent = lastRequest();
    expect(sent.provider).toBe('openai');
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe('Bearer sk-test-openai');
    expect(sent.body).toMatchObject({
      model: 'gpt-test',
      messages: [
        { role: 'system', content: 'You translate to French.' },
        { role: 'user', content: 'Hello' },
      ],
      temperature: 0.2,
      max_completion_tokens: 50,
    });
    expect(sent.body).not.toHaveProperty('response_format');
  });

  it('uses JSON mode and parses the JSON answer', async () => {
    fake.enqueue('openai', { text: '{"sentiment":"positive","score":0.9}' });
    const output = await runLlm({ provider: 'openai', model: 'gpt-test', prompt: 'Rate as JSON: great!', responseFormat: 'json' });
    expect(output).toMatchObject({ json: { sentiment: 'positive', score: 0.9 }, text: '{"sentiment":"positive","score":0.9}' });
    expect(lastRequest().body).toMatchObject({ response_format: { type: 'json_object' } });
    expect((lastRequest().body as { messages: unknown[] }).messages).toEqual([{ role: 'user', content: 'Rate as JSON: great!' }]);
  });

  it('invalid JSON from the model is a retryable LlmInvalidJson', async () => {
    fake.enqueue('openai', { text: 'Sure! {"a": 1' });
    const error = await failureOf(runLlm({ provider: 'openai', model: 'gpt-test', prompt: 'JSON please', responseFormat: 'json' }));
    expect(error.type).toBe('LlmInvalidJson');
    expect(error.retryable).toBe(true);
  });

  it('500 is a retryable LlmProviderError, made once (SDK retries disabled)', async () => {
    const before = fake.requests.length;
    fake.enqueue('openai', { status: 500, error: 'The server had an error' });
    const error = await failureOf(runLlm({ provider: 'openai', model: 'gpt-test', prompt: 'hi' }));
    expect(error.type).toBe('LlmProviderError');
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('500');
    expect(fake.requests.length - before).toBe(1);
  });

  it('401 is non-retryable and names provider, status and the provider message', async () => {
    fake.enqueue('openai', { status: 401, error: 'Incorrect API key provided' });
    const error = await failureOf(runLlm({ provider: 'openai', model: 'gpt-test', prompt: 'hi' }));
    expect(error.type).toBe('LlmProviderError');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe('openai returned HTTP 401: Incorrect API key provided');
    expect(error.data).toMatchObject({ provider: 'openai', status: 401 });
  });

  it('429 carries the Retry-After delay', async () => {
    fake.enqueue('openai', { status: 429, error: 'Rate limit reached', headers: { 'retry-after': '3' } });
    const error = await failureOf(runLlm({ provider: 'openai', model: 'gpt-test', prompt: 'hi' }));
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(3000);
  });

  it('connection refused is a retryable LlmProviderError', async () => {
    const port = await freePort();
    const error = await failureOf(
      runLlm({ provider: 'openai', model: 'gpt-test', prompt: 'hi' }, { ...env, ...allowFixture(`http://127.0.0.1:${port}`), OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1` }),
    );
    expect(error.type).toBe('LlmProviderError');
    expect(error.retryable).toBe(true);
  });

  it('a missing OPENAI_API_KEY is a ConfigError naming the variable', async () => {
    const before = fake.requests.length;
    const error = await failureOf(runLlm({ provider: 'openai', model: 'gpt-test', prompt: 'hi' }, { ...env, OPENAI_API_KEY: undefined }));
    expect(error.type).toBe('ConfigError');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('OPENAI_API_KEY');
    expect(fake.requests.length).toBe(before);
  });
});

describe('llm connector, gemini', () => {
  it('sends system instruction, prompt and generation config, and maps the answer', async () => {
    fake.enqueue('gemini', { text: 'Hallo', usage: { inputTokens: 9, outputTokens: 2 } });
    const output = await runLlm({
      provider: 'gemini',
      model: 'gemini-test',
      system: 'You translate to German.',
      prompt: 'Hello',
      temperature: 1.5,
      maxTokens: 64,
    });
    expect(output).toEqual({ text: 'Hallo', model: 'gemini-test', usage: { inputTokens: 9, outputTokens: 2 } });

    const sent = lastRequest();
    expect(sent.provider).toBe('gemini');
    expect(sent.path).toBe('/v1beta/models/gemini-test:generateContent');
    expect(sent.headers['x-goog-api-key']).toBe('test-gemini-key');
    expect(sent.body).toMatchObject({
      contents: [{ role: 'user', parts: [{ text: 'Hello' }] }],
      systemInstruction: { parts: [{ text: 'You translate to German.' }] },
      generationConfig: { temperature: 1.5, maxOutputTokens: 64 },
    });
    expect((sent.body as { generationConfig: object }).generationConfig).not.toHaveProperty('responseMimeType');
  });

  it('uses JSON mode and parses the JSON answer', async () => {
    fake.enqueue('gemini', { text: '{"items":[1,2,3]}' });
    const output = await runLlm({ provider: 'gemini', model: 'gemini-test', prompt: 'List', responseFormat: 'json' });
    expect(output).toMatchObject({ json: { items: [1, 2, 3] } });
    expect(lastRequest().body).toMatchObject({ generationConfig: { responseMimeType: 'application/json' } });
  });

  it('answers deterministically with an empty queue (echo, JSON in JSON mode)', async () => {
    expect(await runLlm({ provider: 'gemini', model: 'gemini-test', prompt: 'ping' })).toMatchObject({ text: 'echo: ping' });
    expect(await runLlm({ provider: 'openai', model: 'gpt-test', prompt: 'ping', responseFormat: 'json' })).toMatchObject({
      json: { echo: 'ping' },
    });
  });

  it('500 is retryable, 401 is not and carries the status and message', async () => {
    fake.enqueue('gemini', { status: 500, error: 'Internal error encountered.' });
    const serverError = await failureOf(runLlm({ provider: 'gemini', model: 'gemini-test', prompt: 'hi' }));
    expect(serverError.type).toBe('LlmProviderError');
    expect(serverError.retryable).toBe(true);

    fake.enqueue('gemini', { status: 401, error: 'API key not valid. Please pass a valid API key.' });
    const authError = await failureOf(runLlm({ provider: 'gemini', model: 'gemini-test', prompt: 'hi' }));
    expect(authError.retryable).toBe(false);
    expect(authError.message).toBe('gemini returned HTTP 401 Unauthorized: API key not valid. Please pass a valid API key.');
    expect(authError.data).toMatchObject({ provider: 'gemini', status: 401 });
  });

  it('a missing GEMINI_API_KEY is a ConfigError naming the variable', async () => {
    const error = await failureOf(runLlm({ provider: 'gemini', model: 'gemini-test', prompt: 'hi' }, { ...env, GEMINI_API_KEY: '' }));
    expect(error.type).toBe('ConfigError');
    expect(error.message).toContain('GEMINI_API_KEY');
  });
});

describe('the worker\'s own provider keys', () => {
  it('are never sent to a base URL the node names: such a node needs its own apiKey', async () => {
    const before = fake.requests.length;
    for (const provider of ['openai', 'gemini'] as const) {
      const baseUrl = provider === 'openai' ? fake.openaiBaseUrl : fake.geminiBaseUrl;
      const error = await rejectionOf(runLlm({ provider, model: 'm', prompt: 'hi', baseUrl }), ConnectorError);
      expect(error).toMatchObject({ type: 'ConfigError', retryable: false });
      expect(error.message).toMatch(/must set its own "apiKey"/);
    }
    expect(fake.requests.length).toBe(before);
  });
});

describe('llm config', () => {
  it('rejects out-of-range values and unknown keys', () => {
    const parse = (config: unknown) => () => parseConnectorConfig(llmConnector.configSchema, config, 'llm');
    expect(parse({ provider: 'openai', model: 'm', prompt: 'p', temperature: 3 })).toThrow(/config\.temperature: /);
    expect(parse({ provider: 'openai', model: 'm', prompt: 'p', maxTokens: 0 })).toThrow(/config\.maxTokens: /);
    expect(parse({ provider: 'anthropic', model: 'm', prompt: 'p' })).toThrow(/config\.provider: /);
    expect(parse({ provider: 'openai', model: 'm', prompt: 'p', apiToken: 'x' })).toThrow(/apiToken/);
  });
});

describe('fake LLM server tool calls (for agent loops)', () => {
  it('answers tool calls in the OpenAI and Gemini wire formats, readable by the real SDKs', async () => {
    const { default: OpenAI } = await import('openai');
    const { GoogleGenerativeAI } = await import('@google/generative-ai');

    fake.enqueue('openai', { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] });
    const openai = new OpenAI({ apiKey: 'k', baseURL: fake.openaiBaseUrl, maxRetries: 0 });
    const completion = await openai.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'weather?' }] });
    const call = completion.choices[0]!.message.tool_calls![0]!;
    expect(completion.choices[0]!.finish_reason).toBe('tool_calls');
    expect(call.type === 'function' && call.function.name).toBe('get_weather');
    expect(call.type === 'function' && JSON.parse(call.function.arguments)).toEqual({ city: 'Paris' });

    fake.enqueue('gemini', { toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }] });
    const gemini = new GoogleGenerativeAI('k').getGenerativeModel({ model: 'gemini-test' }, { baseUrl: fake.geminiBaseUrl });
    const { response } = await gemini.generateContent('weather?');
    expect(response.functionCalls()).toEqual([{ name: 'get_weather', args: { city: 'Oslo' } }]);
  });
});
