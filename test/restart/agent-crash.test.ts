/**
 * A worker killed with SIGKILL in the middle of an agent loop: the new worker resumes from history, so
 * no completed LLM turn and no completed tool call is made again.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm-server.js';
import { spawnWorkerProcess, stopProcess } from '../support/worker-process.js';
import { createHarness, eventually, type Harness } from '../support/worker.js';

let harness: Harness;
let llm: FakeLlmServer;
let tools: Server;
let toolsUrl: string;
const calls: Record<string, number> = {};
let holdSlowCalls = true;
const held: ServerResponse[] = [];

beforeAll(async () => {
  harness = await createHarness();
  await harness.worker.stop();
  llm = await startFakeLlmServer();
  tools = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    calls[path] = (calls[path] ?? 0) + 1;
    req.resume();
    if (path === '/slow' && holdSlowCalls) {
      held.push(res);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ path, call: calls[path] }));
  });
  await new Promise<void>((resolve) => tools.listen(0, '127.0.0.1', resolve));
  toolsUrl = `http://127.0.0.1:${(tools.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await harness?.close();
  await llm?.close();
  tools?.closeAllConnections();
  await new Promise((resolve) => tools?.close(resolve));
});


describe('agent loop across a worker crash', () => {
  it('resumes mid-loop without repeating completed turns or tool calls', async () => {
    llm.enqueue('openai', { toolCalls: [{ name: 'fast', arguments: {} }] });
    llm.enqueue('openai', { toolCalls: [{ name: 'slow', arguments: {} }] });
    llm.enqueue('openai', { text: 'done' });
    const tool = (name: string) => ({ name, description: name, http: { url: `${toolsUrl}/${name}` } });
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
    const first = spawnWorkerProcess(harness, { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: llm.openaiBaseUrl });
    const exited = new Promise((resolve) => first.once('exit', resolve));
    const { result } = await harness.start(dag);

    // Two turns and the fast tool are done; the slow tool call is in flight.
    await eventually(async () => held.length === 1, 30_000);
    first.kill('SIGKILL');
    await exited;
    holdSlowCalls = false;
    for (const response of held) response.destroy();

    const second = spawnWorkerProcess(harness, { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: llm.openaiBaseUrl });
    try {
      const { output } = await result;
      expect(output).toMatchObject({
        agent: { text: 'done', turns: 3, toolCalls: [{ name: 'fast', result: { call: 1 } }, { name: 'slow' }] },
      });
    } finally {
      await stopProcess(second);
    }
    expect(llm.requests.filter((request) => request.provider === 'openai')).toHaveLength(3);
    expect(calls['/fast']).toBe(1);
    // The interrupted call never completed, so it ran once more; nothing that completed was repeated.
    expect(calls['/slow']).toBe(2);
  });
});
