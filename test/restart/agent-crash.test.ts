/**
 * A worker killed with SIGKILL in the middle of an agent loop: the new worker resumes from history, so
 * no completed LLM turn and no completed tool call is made again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type FakeLlmServer, type HttpFixture, startFakeLlmServer, startHttpFixture } from '@trellis/test-support';
import { createHarness, type Harness, spawnWorkerProcess, stopProcess, withEgressAllowed } from '@trellis/test-support/worker';

let harness: Harness;
let llm: FakeLlmServer;
let tools: HttpFixture;
let holdSlowCalls = true;

/** Calls the tools server received for `path`, whatever the method and query. */
function callsTo(path: string): number {
  return tools.requests.filter((request) => request.path.split('?')[0] === path).length;
}

beforeAll(async () => {
  harness = await createHarness();
  await harness.worker.stop();
  llm = await startFakeLlmServer();
  tools = await startHttpFixture({
    fallback: (request) => {
      const path = request.path.split('?')[0];
      // Held calls are never answered: the worker dies with the call in flight, which closes the connection.
      if (path === '/slow' && holdSlowCalls) return new Promise<never>(() => {});
      return { body: { path, call: callsTo(path) } };
    },
  });
});
afterAll(async () => {
  await harness?.close();
  await llm?.close();
  await tools?.close();
});


describe('agent loop across a worker crash', () => {
  it('resumes mid-loop without repeating completed turns or tool calls', async () => {
    llm.enqueue('openai', { toolCalls: [{ name: 'fast', arguments: {} }] });
    llm.enqueue('openai', { toolCalls: [{ name: 'slow', arguments: {} }] });
    llm.enqueue('openai', { text: 'done' });
    const tool = (name: string) => ({ name, description: name, http: { url: `${tools.url}/${name}` } });
    const dag = {
      nodes: [
        {
          id: 'agent',
          type: 'agent',
          // A short timeout so the attempt lost with the killed worker is retried promptly.
          timeout: '3s',
          config: { provider: 'openai', model: 'gpt-test', prompt: 'go', maxTurns: 5, tools: [tool('fast'), tool('slow')] },
        },
      ],
      edges: [],
    };
    const first = spawnWorkerProcess(harness, withEgressAllowed({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: llm.openaiBaseUrl }, [llm.openaiBaseUrl, tools.url]));
    const exited = new Promise((resolve) => first.once('exit', resolve));
    const { result } = await harness.start(dag);

    // Two turns and the fast tool are done; the slow tool call is in flight.
    await eventually(async () => callsTo('/slow') === 1, 30_000);
    first.kill('SIGKILL');
    await exited;
    holdSlowCalls = false;

    const second = spawnWorkerProcess(harness, withEgressAllowed({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: llm.openaiBaseUrl }, [llm.openaiBaseUrl, tools.url]));
    try {
      const { output } = await result;
      expect(output).toMatchObject({
        agent: { text: 'done', turns: 3, toolCalls: [{ name: 'fast', result: { call: 1 } }, { name: 'slow' }] },
      });
    } finally {
      await stopProcess(second);
    }
    expect(llm.requests.filter((request) => request.provider === 'openai')).toHaveLength(3);
    expect(callsTo('/fast')).toBe(1);
    // The interrupted call never completed, so it ran once more; nothing that completed was repeated.
    expect(callsTo('/slow')).toBe(2);
  });
});
