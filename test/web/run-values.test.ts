/**
 * Large runs in a real browser: a 500-node DAG whose run holds a 5 MB node output opens, the node panel
 * shows a preview and then the whole value in a virtualised viewer (only the lines in view are in the
 * page), and two runs of the agent are compared node by node with their output differences.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { screenshot } from './support/browser.js';
import { dashboardSuite } from './support/dashboard-suite.js';
import { signedInPage } from './support/signed-in.js';

const suite = dashboardSuite();

/** `layers` × `width` set nodes, each node of a layer fed by one node of the layer before. */
function wideDag(layers: number, width: number) {
  const nodes = [];
  const edges = [];
  for (let layer = 0; layer < layers; layer += 1) {
    for (let slot = 0; slot < width; slot += 1) {
      nodes.push({ id: `n${layer}_${slot}`, type: 'set', config: { value: layer * width + slot } });
      if (layer > 0) edges.push({ from: `n${layer - 1}_${slot}`, to: `n${layer}_${slot}` });
    }
  }
  return { nodes, edges };
}

/** About 5 MB of JSON: rows with an id and a label. */
function fiveMegabytes(): { rows: { id: number; label: string }[] } {
  return { rows: Array.from({ length: 80_000 }, (_unused, id) => ({ id, label: `row ${id} of a five megabyte output` })) };
}

async function storeRun(agentId: string, versionId: string, dag: ReturnType<typeof wideDag>, outputs: (nodeId: string) => unknown): Promise<string> {
  const id = randomUUID();
  const startedAt = new Date(Date.now() - 60_000);
  await suite.ctx.db.prisma.run.create({ data: { id, agentId, agentVersionId: versionId, status: 'SUCCEEDED', input: {}, startedAt, finishedAt: new Date() } });
  await suite.ctx.db.prisma.nodeRun.createMany({
    data: dag.nodes.map((node, index) => ({
      runId: id,
      nodeId: node.id,
      type: 'set',
      status: 'SUCCEEDED' as const,
      attempts: 1,
      output: outputs(node.id) as object,
      startedAt: new Date(startedAt.getTime() + index * 10),
      finishedAt: new Date(startedAt.getTime() + index * 10 + 5),
    })),
  });
  return id;
}

describe('large runs', () => {
  it('opens a 500-node run with a 5 MB output, loads the whole value on request, and compares two runs', async () => {
    const dag = wideDag(50, 10);
    const { createAgent } = await suite.ctx.graphqlOk(`mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id liveVersion { id } } }`, { input: { name: 'large', dag } });
    const big = fiveMegabytes();
    const bigBytes = Buffer.byteLength(JSON.stringify(big));
    expect(bigBytes).toBeGreaterThan(4_500_000);
    const earlier = await storeRun(createAgent.id, createAgent.liveVersion.id, dag, (nodeId) => (nodeId === 'n0_0' ? { total: 1 } : nodeId === 'n0_1' ? 'same' : null));
    const runId = await storeRun(createAgent.id, createAgent.liveVersion.id, dag, (nodeId) => (nodeId === 'n0_0' ? { total: 2 } : nodeId === 'n0_1' ? 'same' : nodeId === 'n49_9' ? big : null));

    const page = (suite.page = await signedInPage(suite.browser, suite.ctx));
    await page.goto(`${suite.ctx.api.url}/runs/${runId}?node=n49_9`);
    await page.locator('.react-flow__node').first().waitFor({ timeout: 20_000 });
    // Only the nodes in view are rendered.
    expect(await page.locator('.react-flow__node').count()).toBeLessThan(500);
    const panel = page.getByRole('complementary', { name: 'Node n49_9' });
    await panel.getByText(`Showing the start of ${(bigBytes / 1_000_000).toFixed(1)} MB`).waitFor();
    expect((await panel.getByLabel('Output').textContent())!.length).toBeLessThan(9_000);
    await panel.getByRole('button', { name: /Load all/ }).click();
    const lines = panel.locator('.json-lines');
    await lines.waitFor();
    expect(Number(await lines.getAttribute('data-lines'))).toBe(JSON.stringify(big, null, 2).split('\n').length);
    expect(await lines.locator('.json-line').count()).toBeLessThan(200);
    await lines.evaluate((element) => element.scrollTo(0, element.scrollHeight));
    await lines.getByText(`"label": "row 79999 of a five megabyte output"`).waitFor();
    await screenshot(page, 'run-view-large-output', { fullPage: false });

    await page.getByLabel('Compare with').selectOption(earlier);
    await page.waitForURL(new RegExp(`compare=${earlier}`));
    const comparison = page.getByRole('region', { name: 'Comparison' });
    await comparison.locator('[data-compared-node="n0_0"]').waitFor();
    expect(await comparison.locator('[data-compared-node="n0_0"] .output-difference').textContent()).toBe('replace /total');
    expect(await comparison.locator('[data-compared-node="n0_1"]').getAttribute('data-same')).toBe('true');
    expect(await comparison.locator('[data-compared-node="n49_9"] .output-difference').textContent()).toBe('only in this run');
    await comparison.scrollIntoViewIfNeeded();
    await screenshot(page, 'run-compare', { fullPage: false });
  });

  it("opens an agent node into its tool calls, token usage and answer", async () => {
    const dag = {
      nodes: [
        { id: 'assistant', type: 'agent', config: { provider: 'openai', model: 'gpt-test', prompt: 'Look it up', maxTurns: 4, tools: [{ name: 'lookup', description: 'Finds an order', http: { url: 'https://orders.example.com/{{ args.id }}' } }] } },
      ],
    };
    const { createAgent } = await suite.ctx.graphqlOk(`mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id liveVersion { id } } }`, { input: { name: 'assistant', dag } });
    const runId = randomUUID();
    await suite.ctx.db.prisma.run.create({ data: { id: runId, agentId: createAgent.id, agentVersionId: createAgent.liveVersion.id, status: 'SUCCEEDED', input: {}, finishedAt: new Date() } });
    await suite.ctx.db.prisma.nodeRun.create({
      data: {
        runId,
        nodeId: 'assistant',
        type: 'agent',
        status: 'SUCCEEDED',
        attempts: 1,
        output: { text: 'Order 42 shipped.', turns: 2, toolCalls: [{ name: 'lookup', arguments: { id: 42 }, result: { status: 'shipped' } }], usage: { inputTokens: 120, outputTokens: 30 } },
        startedAt: new Date(),
        finishedAt: new Date(),
      },
    });
    const page = (suite.page = await signedInPage(suite.browser, suite.ctx));
    await page.goto(`${suite.ctx.api.url}/runs/${runId}?node=assistant&tab=turns`);
    const turns = page.getByLabel('Agent turns');
    await turns.waitFor();
    expect(await turns.textContent()).toContain('2 turns · 120 input + 30 output tokens · 1 tool call');
    expect(JSON.parse((await turns.locator('[data-tool="lookup"]').getByLabel('Arguments').textContent())!)).toEqual({ id: 42 });
    expect(JSON.parse((await turns.locator('[data-tool="lookup"]').getByLabel('Result').textContent())!)).toEqual({ status: 'shipped' });
    expect(await turns.getByLabel('Answer').textContent()).toBe('Order 42 shipped.');
  });
});
