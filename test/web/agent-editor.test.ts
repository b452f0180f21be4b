/**
 * The agent editor in a real browser: an invalid node's issue is pinned to that node on the canvas and
 * blocks publishing; once fixed the DAG validates and publishes as version 2, and version 1 is made live
 * again from the agent page.
 */
import { describe, expect, it } from 'vitest';
import { screenshot } from './support/browser.js';
import { dashboardSuite } from './support/dashboard-suite.js';
import { signedInPage } from './support/signed-in.js';

const suite = dashboardSuite();

const V1 = {
  nodes: [
    { id: 'collect', type: 'set', config: { value: { total: 3 } } },
    { id: 'report', type: 'set', config: { value: '{{ nodes.collect.output.total }}' } },
  ],
  edges: [{ from: 'collect', to: 'report' }],
};

describe('agent editor', () => {
  it('pins a validation issue to its node, publishes the fixed DAG as v2, and makes v1 live again', async () => {
    const { createAgent } = await suite.ctx.graphqlOk(`mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`, { input: { name: 'reporting', dag: V1 } });
    const page = (suite.page = await signedInPage(suite.browser, suite.ctx));
    await page.getByRole('link', { name: 'reporting' }).click();
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByRole('heading', { name: 'Edit reporting' }).waitFor();
    await page.locator('.dag-node[data-node-id="report"]').waitFor();

    // A node whose config lacks its URL.
    const broken = { ...V1, nodes: [...V1.nodes, { id: 'notify', type: 'http', config: { method: 'POST' } }], edges: [...V1.edges, { from: 'report', to: 'notify' }] };
    await page.getByLabel('DAG JSON').fill(JSON.stringify(broken, null, 2));
    await page.getByRole('button', { name: 'Validate' }).click();
    await page.locator('.dag-node[data-node-id="notify"][data-invalid="true"]').waitFor();
    expect(await page.locator('.dag-node[data-invalid="true"]').count()).toBe(1);
    expect(await page.getByLabel('Validation').textContent()).toContain('nodes[2].config');
    expect(await page.getByRole('button', { name: 'Publish' }).isDisabled()).toBe(true);
    await screenshot(page, 'agent-editor-issue');

    const fixed = { ...broken, nodes: [...V1.nodes, { id: 'notify', type: 'http', config: { method: 'POST', url: 'https://hooks.example.com/report' } }] };
    await page.getByLabel('DAG JSON').fill(JSON.stringify(fixed, null, 2));
    // Editing after a validation asks for a new one.
    expect(await page.getByRole('button', { name: 'Publish' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Validate' }).click();
    await page.getByText('✓ The DAG is valid.').waitFor();
    expect(await page.locator('.dag-node[data-invalid="true"]').count()).toBe(0);
    await page.getByRole('button', { name: 'Publish' }).click();

    await page.getByRole('heading', { name: 'reporting' }).waitFor();
    await page.getByText('Live version: v2').waitFor();
    const versions = await suite.ctx.db.prisma.agentVersion.findMany({ where: { agentId: createAgent.id }, orderBy: { version: 'asc' } });
    expect(versions.map((version) => version.version)).toEqual([1, 2]);
    expect((versions[1].dag as { nodes: { id: string }[] }).nodes.map((node) => node.id)).toEqual(['collect', 'report', 'notify']);

    await page.locator('tr[data-version="1"]').getByRole('button', { name: 'Make live' }).click();
    await page.getByText('Live version: v1').waitFor();
    expect(await page.locator('tr[data-version="1"]').textContent()).toContain('Live');
    const agent = await suite.ctx.db.prisma.agent.findUniqueOrThrow({ where: { id: createAgent.id }, include: { liveVersion: true } });
    expect(agent.liveVersion?.version).toBe(1);
  });
});
