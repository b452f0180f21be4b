import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeLlmServer, startFakeLlmServer } from '@trellis/test-support';
import { createHarness, type Harness, nodeRows } from '@trellis/test-support/worker';

let harness: Harness;
let llm: FakeLlmServer;
beforeAll(async () => {
  llm = await startFakeLlmServer();
  harness = await createHarness({
    egressAllow: [llm.openaiBaseUrl],
    env: {
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: llm.openaiBaseUrl,
      GEMINI_API_KEY: 'gemini-test',
      GEMINI_BASE_URL: llm.geminiBaseUrl,
    },
  });
});
afterAll(async () => {
  await harness?.close();
  await llm?.close();
});

describe('llm node on a real worker', () => {
  it('calls both providers through their SDKs with rendered prompts and JSON mode', async () => {
    llm.enqueue('openai', { text: '{"verdict":"ok"}' });
    llm.enqueue('gemini', { text: 'Gemini says hi' });
    const { runId, output, failure } = await harness.run(
      {
        nodes: [
          {
            id: 'judge',
            type: 'llm',
            config: { provider: 'openai', model: 'gpt-test', system: 'Be terse.', prompt: 'Judge {{ input.item }}', responseFormat: 'json' },
          },
          { id: 'greet', type: 'llm', config: { provider: 'gemini', model: 'gemini-test', prompt: 'Greet {{ nodes.judge.output.json.verdict }}' } },
        ],
        edges: [{ from: 'judge', to: 'greet' }],
        output: '{ "verdict": nodes.judge.output.json.verdict, "greeting": nodes.greet.output.text }',
      },
      { item: 'widget' },
    );
    expect(failure).toBeUndefined();
    expect(output).toEqual({ verdict: 'ok', greeting: 'Gemini says hi' });

    const openai = llm.requests.find((r) => r.provider === 'openai')!;
    const body = openai.body as { model: string; messages: Array<{ role: string; content: string }>; response_format?: { type: string } };
    expect(body.model).toBe('gpt-test');
    expect(body.messages).toEqual([
      { role: 'system', content: 'Be terse.' },
      { role: 'user', content: 'Judge widget' },
    ]);
    expect(body.response_format).toEqual({ type: 'json_object' });
    const gemini = llm.requests.find((r) => r.provider === 'gemini')!;
    expect(gemini.path).toContain('gemini-test:generateContent');
    expect(JSON.stringify(gemini.body)).toContain('Greet ok');
    const rows = await nodeRows(harness, runId);
    expect(rows.judge.output).toMatchObject({ model: 'gpt-test', json: { verdict: 'ok' } });
  });
});
