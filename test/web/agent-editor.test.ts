/**
 * The agent editor in a real browser, as a person builds an agent: a node added from the palette and
 * connected to another by dragging between their handles, its config filled in the form generated from
 * its type's schema, a validation issue pinned to that node and field, a condition tested against a past
 * run, publishing, the diff of the two versions in the history, and version 1 made live again.
 */
import type { Page } from 'playwright-core';
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

/** Drags from `from`'s outgoing handle to `to`'s incoming handle, as a mouse would. */
async function connectOnCanvas(page: Page, from: string, to: string): Promise<void> {
  const source = await page.locator(`.react-flow__node[data-id="${from}"] .react-flow__handle.source`).boundingBox();
  const target = await page.locator(`.react-flow__node[data-id="${to}"] .react-flow__handle.target`).boundingBox();
  if (!source || !target) throw new Error('handles not on screen');
  await page.mouse.move(source.x + source.width / 2, source.y + source.height / 2);
  await page.mouse.down();
  await page.mouse.move((source.x + target.x) / 2, (source.y + target.y) / 2, { steps: 5 });
  await page.mouse.move(target.x + target.width / 2, target.y + target.height / 2, { steps: 5 });
  await page.mouse.up();
}

describe('agent editor', () => {
  it('builds a node from the palette, pins its issue, publishes v2, shows the diff, and makes v1 live again', async () => {
    const { createAgent } = await suite.ctx.graphqlOk(`mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`, { input: { name: 'reporting', dag: V1 } });
    const page = (suite.page = await signedInPage(suite.browser, suite.ctx));
    await page.getByRole('link', { name: 'reporting' }).click();
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByRole('heading', { name: 'Edit reporting' }).waitFor();
    await page.locator('.dag-node[data-node-id="report"]').waitFor();

    // A node from the palette opens its config form; the JSON view follows.
    await page.getByRole('button', { name: 'Add http' }).click();
    await page.locator('.dag-node[data-node-id="http"]').waitFor();
    const panel = page.getByRole('complementary', { name: 'Node http' });
    await panel.waitFor();
    await connectOnCanvas(page, 'report', 'http');
    await page.locator('.react-flow__edge[data-id="report->http#1"]').waitFor({ state: 'attached' });
    expect(JSON.parse((await page.getByLabel('DAG JSON').textContent()) ?? '').edges).toContainEqual({ from: 'report', to: 'http' });

    // Validating without a URL pins the issue to the node and to the field.
    await page.getByRole('button', { name: 'Validate' }).click();
    await page.locator('.dag-node[data-node-id="http"][data-invalid="true"]').waitFor();
    expect(await page.locator('.dag-node[data-invalid="true"]').count()).toBe(1);
    expect(await page.getByLabel('Validation').textContent()).toContain('nodes[2].config');
    expect(await page.getByRole('button', { name: 'Publish' }).isDisabled()).toBe(true);
    await page.locator('.dag-node[data-node-id="http"]').click();
    await expect.poll(() => panel.locator('.error-detail, .text-danger').allTextContents()).not.toEqual([]);
    await screenshot(page, 'agent-editor-issue');

    await panel.getByLabel(/url/i).first().fill('https://hooks.example.com/report');
    await panel.getByLabel('Attempts').fill('2');
    // Editing after a validation asks for a new one.
    expect(await page.getByRole('button', { name: 'Publish' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Validate' }).click();
    await page.getByText('✓ The DAG is valid.').waitFor();
    expect(await page.locator('.dag-node[data-invalid="true"]').count()).toBe(0);
    await screenshot(page, 'agent-editor');
    await page.getByRole('button', { name: 'Publish' }).click();

    await page.getByRole('heading', { name: 'reporting' }).waitFor();
    await page.getByText('Live version: v2').waitFor();
    const versions = await suite.ctx.db.prisma.agentVersion.findMany({ where: { agentId: createAgent.id }, orderBy: { version: 'asc' } });
    expect(versions.map((version) => version.version)).toEqual([1, 2]);
    const published = versions[1].dag as { nodes: { id: string; config: { url?: string }; retry?: { maximumAttempts: number } }[]; edges: unknown[] };
    expect(published.nodes.map((node) => node.id)).toEqual(['collect', 'report', 'http']);
    expect(published.nodes[2].config.url).toBe('https://hooks.example.com/report');
    expect(published.nodes[2].retry?.maximumAttempts).toBe(2);
    expect(published.edges).toContainEqual({ from: 'report', to: 'http' });
    expect(versions[1].publishedBy).toBe('owner@acme.test');

    // The history shows what v2 added, on the canvas and side by side, and v1 is made live from there.
    await page.getByRole('link', { name: 'History and diff' }).click();
    await page.getByRole('heading', { name: 'v1 → v2' }).waitFor();
    expect(page.url()).toContain(`/agents/${createAgent.id}/history`);
    await page.locator('.dag-node[data-node-id="http"][data-change="added"]').waitFor();
    expect(await page.locator('.dag-node[data-change]').count()).toBe(1);
    expect(await page.getByRole('article', { name: 'Node http added' }).getByLabel('After').textContent()).toContain('hooks.example.com');
    expect(await page.getByRole('article', { name: 'Edge report->http added' }).count()).toBe(1);
    expect(await page.locator('tr[data-version="2"]').textContent()).toContain('owner@acme.test');
    await screenshot(page, 'version-history');

    await page.locator('tr[data-version="1"]').getByRole('button', { name: 'Make live' }).click();
    await expect.poll(() => page.locator('tr[data-version="1"]').textContent()).toContain('Live');
    const agent = await suite.ctx.db.prisma.agent.findUniqueOrThrow({ where: { id: createAgent.id }, include: { liveVersion: true } });
    expect(agent.liveVersion?.version).toBe(1);
  });

  it('edits the same DAG as JSON, with the canvas following the text', async () => {
    await suite.ctx.graphqlOk(`mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`, { input: { name: 'json-edited', dag: V1 } });
    const page = (suite.page = await signedInPage(suite.browser, suite.ctx));
    await page.getByRole('link', { name: 'json-edited' }).click();
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.locator('.dag-node[data-node-id="report"]').waitFor();
    const edited = { ...V1, nodes: [...V1.nodes, { id: 'notify', type: 'set', config: { value: 1 } }], edges: [...V1.edges, { from: 'report', to: 'notify', condition: 'nodes.report.output > 2' }] };
    await page.getByLabel('DAG JSON').fill(JSON.stringify(edited, null, 2));
    await page.locator('.dag-node[data-node-id="notify"]').waitFor();
    await page.getByLabel('Edge report to notify').click();
    const edgePanel = page.getByRole('complementary', { name: 'Edge report to notify' });
    expect(await edgePanel.getByLabel('Condition (JSONata, optional)').inputValue()).toBe('nodes.report.output > 2');

    // The JSON editor lints against the DAG JSON Schema as you type: a misspelt field is marked.
    expect(await page.locator('.cm-lintRange-error').count()).toBe(0);
    const misspelt = { ...edited, nodes: [...edited.nodes, { id: 'extra', type: 'set', confg: {} }] };
    await page.getByLabel('DAG JSON').fill(JSON.stringify(misspelt, null, 2));
    await page.locator('.cm-lintRange-error').first().waitFor({ timeout: 10_000 });
  });

  it("draws a forEach node's inline body as a sub-flow inside it", async () => {
    const dag = {
      nodes: [
        { id: 'list', type: 'set', config: { value: [1, 2, 3] } },
        {
          id: 'each',
          type: 'forEach',
          config: {
            items: 'nodes.list.output',
            nodes: [
              { id: 'double', type: 'set', config: { value: '{{ input.item * 2 }}' } },
              { id: 'label', type: 'set', config: { value: '{{ nodes.double.output }}' } },
            ],
            edges: [{ from: 'double', to: 'label' }],
          },
        },
        { id: 'done', type: 'set', config: { value: '{{ nodes.each.output }}' } },
      ],
      edges: [
        { from: 'list', to: 'each' },
        { from: 'each', to: 'done' },
      ],
    };
    await suite.ctx.graphqlOk(`mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`, { input: { name: 'looping', dag } });
    const page = (suite.page = await signedInPage(suite.browser, suite.ctx));
    await page.getByRole('link', { name: 'looping' }).click();
    await page.getByRole('link', { name: 'Edit' }).click();
    const loop = page.locator('.dag-node[data-node-id="each"]');
    const inner = page.locator('.dag-node[data-in-body="true"][data-node-id="label"]');
    await inner.waitFor();
    const [outer, box, first] = await Promise.all([loop.boundingBox(), inner.boundingBox(), page.locator('.dag-node[data-in-body="true"][data-node-id="double"]').boundingBox()]);
    // Both body nodes lie inside the loop's node, the second to the right of the first (layered, left to right).
    for (const child of [box!, first!]) {
      expect(child.x).toBeGreaterThanOrEqual(outer!.x);
      expect(child.y).toBeGreaterThanOrEqual(outer!.y);
      expect(child.x + child.width).toBeLessThanOrEqual(outer!.x + outer!.width + 1);
      expect(child.y + child.height).toBeLessThanOrEqual(outer!.y + outer!.height + 1);
    }
    expect(box!.x).toBeGreaterThan(first!.x + first!.width);
    expect(await page.locator('.react-flow__edge[data-id="each/double->label"]').count()).toBe(1);
    await screenshot(page, 'agent-editor-for-each', { fullPage: false });
  });
});
